/**
 * The password policy (DESIGN.md §9), shared so the form shows what is missing
 * as the user types and main enforces exactly the same rule.
 */
export const PASSWORD_MIN_LENGTH = 12;

export const PASSWORD_RULES = ['length', 'upper', 'lower', 'digit', 'symbol'] as const;
export type PasswordRule = (typeof PASSWORD_RULES)[number];

const checks: Record<PasswordRule, (password: string) => boolean> = {
  // Counted in code points, so an accented letter is one character, as the user sees it.
  length: (p) => [...p].length >= PASSWORD_MIN_LENGTH,
  upper: (p) => /\p{Lu}/u.test(p),
  lower: (p) => /\p{Ll}/u.test(p),
  digit: (p) => /\p{Nd}/u.test(p),
  // Anything that is neither a letter, a digit nor white space counts as a symbol.
  symbol: (p) => /[^\p{L}\p{Nd}\s]/u.test(p),
};

/** The rules the password does not meet yet, in the order they are listed to the user; empty when it passes. */
export function missingPasswordRules(password: string): PasswordRule[] {
  return PASSWORD_RULES.filter((rule) => !checks[rule](password));
}
