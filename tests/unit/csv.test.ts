import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { neutraliseCell, neutraliseRow } from '../../src-shared/domain/csv';

describe('CSV cells', () => {
  it.each(['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])('neutralises %j', (cell) => {
    expect(neutraliseCell(cell)).toBe(`'${cell}`);
  });

  it('leaves ordinary text and numbers alone', () => {
    expect(neutraliseCell('Câmera, pátio "norte"')).toBe('Câmera, pátio "norte"');
    expect(neutraliseCell(-5)).toBe(-5);
  });

  it('round-trips names with commas, quotes, new lines and accents through papaparse', () => {
    const rows = [neutraliseRow({ name: 'Câmera, "pátio"\nnorte', note: '=cmd' })];
    const parsed = Papa.parse<Record<string, string>>(Papa.unparse(rows), { header: true });
    expect(parsed.data).toEqual([{ name: 'Câmera, "pátio"\nnorte', note: "'=cmd" }]);
  });
});
