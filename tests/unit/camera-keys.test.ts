import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MssqlConnection } from '../../src-main/core/store/mssql/config';
import { CredentialSeal, resealer, serverCameraKey } from '../../src-main/core/video/credentials';

const login = (server: string, password: string): MssqlConnection => ({
  server,
  port: 1433,
  database: 'vigia',
  encrypt: true,
  trustServerCertificate: false,
  connectTimeoutMs: 15_000,
  authentication: { kind: 'sql', user: 'vigia', password },
});

describe('camera password keys', () => {
  it('gives every copy that logs into the same database the same key, whatever name it reaches the server by', () => {
    const central = new CredentialSeal(serverCameraKey(login('localhost', 'Senha#Banco-2026')));
    const console = new CredentialSeal(serverCameraKey(login('db01.porto.local', 'Senha#Banco-2026')));
    expect(console.open(central.seal('Cam#2026-patio'))).toBe('Cam#2026-patio');
    // Another login password: another key, and the sealed text stays shut.
    const other = new CredentialSeal(serverCameraKey(login('localhost', 'Outra#Senha-2026')));
    expect(other.open(central.seal('Cam#2026-patio'))).toBeNull();
  });

  it('seals a password again for another key, and says which it cannot open', () => {
    const embedded = new CredentialSeal(randomBytes(32));
    const server = new CredentialSeal(serverCameraKey(login('db01', 'Senha#Banco-2026')));
    const reseal = resealer(embedded, server);
    const again = reseal(embedded.seal('Cam#2026-patio'))!;
    expect(again).not.toContain('Cam#2026');
    expect(server.open(again)).toBe('Cam#2026-patio');
    expect(reseal(new CredentialSeal(randomBytes(32)).seal('x'))).toBeNull();
  });
});
