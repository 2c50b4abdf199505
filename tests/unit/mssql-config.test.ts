import { describe, expect, it } from 'vitest';
import { connectionFailure, describeConnection, parseMssqlUrl } from '../../src-main/core/store/mssql/config';
import { mssqlFromCommandLine } from '../../src-main/headless/store-option';

const SECRET = 'S3gredo#Sala';

describe('SQL Server connection settings', () => {
  it('reads a server with a named instance and a Windows login, encrypted by default', () => {
    const c = parseMssqlUrl(`mssql://operador@srv-cftv/vigia?instance=SQLEXPRESS&domain=PORTO`, SECRET);
    expect(c).toMatchObject({
      server: 'srv-cftv',
      instanceName: 'SQLEXPRESS',
      database: 'vigia',
      authentication: { kind: 'ntlm', domain: 'PORTO', user: 'operador', password: SECRET },
      encrypt: true,
      trustServerCertificate: false,
    });
    expect(describeConnection(c)).toBe('SQL Server srv-cftv\\SQLEXPRESS, database vigia, as PORTO\\operador');
    expect(parseMssqlUrl('mssql://sa:x@10.0.0.5:1434/db?encrypt=false&trustServerCertificate=true')).toMatchObject({
      port: 1434,
      encrypt: false,
      trustServerCertificate: true,
      authentication: { kind: 'sql', user: 'sa', password: 'x' },
    });
  });

  it('refuses addresses it cannot use, with the reason', () => {
    expect(() => parseMssqlUrl('postgres://a@b/c', 'x')).toThrow(/starts with mssql:\/\//);
    expect(() => parseMssqlUrl('mssql://srv/db', 'x')).toThrow(/names no user/);
    expect(() => parseMssqlUrl('mssql://u@srv/db')).toThrow(/no password/);
    expect(() => parseMssqlUrl('mssql://u@srv/db?encrypt=maybe', 'x')).toThrow(/encrypt must be true or false/);
  });

  it('says what failed, from the driver’s codes and SQL Server’s numbers, and never the password', () => {
    const c = parseMssqlUrl('mssql://op@srv/vigia', SECRET);
    const cases: Array<[unknown, RegExp]> = [
      [{ code: 'ELOGIN', originalError: { number: 18456 } }, /the login failed/],
      [{ code: 'ELOGIN', originalError: { number: 4060 } }, /the database does not exist/],
      [{ code: 'ETIMEOUT' }, /did not answer/],
      [{ code: 'ESOCKET', cause: { code: 'ECONNREFUSED' } }, /did not answer/],
      [{ code: 'ESOCKET', cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }, /certificate is not trusted/],
      [{ code: 'EINSTLOOKUP' }, /instance was not found/],
    ];
    for (const [error, expected] of cases) {
      const failure = connectionFailure(error, c);
      expect(failure.message).toMatch(expected);
      expect(failure.message).toContain('SQL Server srv, database vigia, as op');
      expect(failure.message).not.toContain(SECRET);
    }
  });

  it('keeps the password off the command line: from a file or the environment only', () => {
    const base = { appRoot: '/app', option: '--store' };
    expect(() => mssqlFromCommandLine(`mssql://op:${SECRET}@srv/vigia`, { ...base, env: {} })).toThrow(
      /must not hold the password/,
    );
    expect(() => mssqlFromCommandLine('mssql://op@srv/vigia', { ...base, env: {} })).toThrow(/no password/);
    const fromEnv = mssqlFromCommandLine('mssql://op@srv/vigia', { ...base, env: { VIGIA_STORE_PASSWORD: SECRET } });
    expect(fromEnv.connection.authentication.password).toBe(SECRET);
    expect(() =>
      mssqlFromCommandLine('mssql://op@srv/vigia', { ...base, env: {}, passwordFile: '/nonexistent/pw' }),
    ).toThrow(/cannot be read \(ENOENT\)/);
  });
});
