/**
 * Cells that a spreadsheet would read as a formula (= + - @, or a leading tab
 * or carriage return) get a leading apostrophe: a device named
 * =HYPERLINK("x") stays text in Excel and Power BI (CSV injection).
 */
export function neutraliseCell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function neutraliseRow<T extends Record<string, unknown>>(row: T): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, neutraliseCell(v)])) as T;
}
