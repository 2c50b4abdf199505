import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SetupInput } from '../../src-shared/domain/setup';
import {
  CONFIG_FILE,
  isConfigured,
  readInstallation,
  SECRETS_FILE,
  writeInstallation,
} from '../../src-main/core/setup/installation';
import { tempDir } from '../helpers/temp';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');

describe('first-run wizard input', () => {
  const fields = (input: unknown) =>
    SetupInput.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

  it('takes each mode with what it needs, and names each wrong field', () => {
    expect(fields({ mode: 'central', store: 'sqlite' })).toEqual([]);
    expect(fields({ mode: 'console', store: 'mssql', url: 'mssql://vigia@sql01/vigia', password: 'x' })).toEqual([]);
    expect(fields({ mode: 'central', store: 'mssql', url: 'mssql://vigia:senha@sql01/vigia', password: 'x' })).toEqual([
      ['url', 'invalid_store_url'],
    ]);
    expect(fields({ mode: 'console', store: 'sqlite' })).not.toEqual([]);
    expect(fields({ mode: 'agent', central: 'file:///etc/passwd', area: '1T', key: '', fingerprint: 'AB:CD' })).toEqual(
      expect.arrayContaining([
        ['central', 'invalid_url'],
        ['area', 'invalid_area_code'],
        ['key', 'required'],
        ['fingerprint', 'invalid_fingerprint'],
      ]),
    );
    // An https central is trusted only through its pinned certificate.
    expect(fields({ mode: 'agent', central: 'https://hq:7374', area: 'ITA', key: 'k', fingerprint: '' })).toEqual([
      ['fingerprint', 'required'],
    ]);
    expect(
      SetupInput.parse({
        mode: 'agent',
        central: 'https://hq:7374',
        area: 'ita',
        key: 'k',
        fingerprint: FINGERPRINT.toLowerCase(),
      }),
    ).toMatchObject({ area: 'ITA', fingerprint: FINGERPRINT });
  });
});

describe('the saved installation', () => {
  it('keeps secrets apart, readable only by this user, and reads them back', () => {
    const dir = tempDir();
    try {
      expect(isConfigured(dir.path)).toBe(false);
      expect(readInstallation(dir.path)).toBeNull();
      const agent = SetupInput.parse({
        mode: 'agent',
        central: 'https://hq:7374',
        area: 'ITA',
        key: 'vg_segredo',
        fingerprint: FINGERPRINT,
      });
      writeInstallation(dir.path, agent);
      expect(isConfigured(dir.path)).toBe(true);
      expect(readFileSync(join(dir.path, CONFIG_FILE), 'utf8')).not.toContain('vg_segredo');
      expect(statSync(join(dir.path, SECRETS_FILE)).mode & 0o777).toBe(0o600);
      expect(readInstallation(dir.path)).toEqual(agent);
      const sql = SetupInput.parse({
        mode: 'console',
        store: 'mssql',
        url: 'mssql://vigia@sql01/vigia',
        password: 'S3nha#',
      });
      writeInstallation(dir.path, sql);
      expect(readFileSync(join(dir.path, CONFIG_FILE), 'utf8')).not.toContain('S3nha#');
      expect(readInstallation(dir.path)).toEqual(sql);
    } finally {
      dir.remove();
    }
  });

  it('refuses a configuration edited into nonsense, saying how to start over', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, CONFIG_FILE), '{"mode":"satellite"}');
      expect(() => readInstallation(dir.path)).toThrow(/not a valid Vigia configuration.*remove both files/s);
    } finally {
      dir.remove();
    }
  });
});
