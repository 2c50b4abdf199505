/**
 * Cells that a spreadsheet would read as a formula (= + - @, or a leading tab
 * or carriage return) get a leading apostrophe: a device named
 * =HYPERLINK("x") stays text in Excel and Power BI (CSV injection). A cell
 * that already starts with an apostrophe gets one more, so `restoreCell`
 * gives back exactly what was exported.
 */
export function neutraliseCell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r']/.test(value) ? `'${value}` : value;
}

/** The inverse of `neutraliseCell`, for a CSV coming back in: one leading apostrophe is Vigia's (or Excel's) quoting. */
export function restoreCell(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

export function neutraliseRow<T extends Record<string, unknown>>(row: T): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, neutraliseCell(v)])) as T;
}
