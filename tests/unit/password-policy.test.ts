import { describe, expect, it } from 'vitest';
import { missingPasswordRules } from '../../src-shared/domain/password';

describe('password policy', () => {
  it('accepts 12 characters with upper, lower, digit and symbol', () => {
    expect(missingPasswordRules('Vigia-Porto-2026')).toEqual([]);
    expect(missingPasswordRules('Açaí#Torre9x')).toEqual([]);
  });

  it('lists exactly what is missing, in order', () => {
    expect(missingPasswordRules('')).toEqual(['length', 'upper', 'lower', 'digit', 'symbol']);
    expect(missingPasswordRules('abcdefghijkl')).toEqual(['upper', 'digit', 'symbol']);
    expect(missingPasswordRules('ABCDEFGHIJ1!')).toEqual(['lower']);
    expect(missingPasswordRules('Abcdefghij1!'.slice(0, 11))).toEqual(['length', 'symbol']);
  });

  it('counts accented letters as one character each and does not take spaces for symbols', () => {
    expect(missingPasswordRules('Ação1234567')).toEqual(['length', 'symbol']);
    expect(missingPasswordRules('Senha Boa 123')).toEqual(['symbol']);
  });
});
