import type mssql from 'mssql';

/**
 * How to reach a SQL Server: the server, a named instance (SQL Express's
 * SQLEXPRESS) or a port, the database, and a SQL login or Windows (NTLM)
 * credentials. The password is held here and nowhere else: never in a log,
 * an error, the audit trail or the process's command line.
 */
export interface MssqlConnection {
  readonly server: string;
  readonly instanceName?: string;
  readonly port?: number;
  readonly database: string;
  readonly authentication:
    | { readonly kind: 'sql'; readonly user: string; readonly password: string }
    | { readonly kind: 'ntlm'; readonly domain: string; readonly user: string; readonly password: string };
  readonly encrypt: boolean;
  readonly trustServerCertificate: boolean;
  readonly connectTimeoutMs: number;
}

const FLAGS = new Set(['true', 'false', 'yes', 'no', '1', '0']);
const flag = (value: string | null, fallback: boolean) =>
  value === null ? fallback : ['true', 'yes', '1'].includes(value.toLowerCase());

/**
 * Reads `mssql://user[:password]@server[:port][/database]?instance=SQLEXPRESS
 * &domain=CORP&encrypt=true&trustServerCertificate=false&connectTimeout=15`.
 * A password given apart (a file, the environment) wins over one in the URL.
 * Throws with the reason, never echoing the password.
 */
export function parseMssqlUrl(text: string, password?: string): MssqlConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('the SQL Server address is not a URL (mssql://user@server/database)');
  }
  if (url.protocol !== 'mssql:' && url.protocol !== 'sqlserver:') {
    throw new Error(`a SQL Server address starts with mssql://, not ${url.protocol}//`);
  }
  const q = url.searchParams;
  for (const name of ['encrypt', 'trustServerCertificate']) {
    const value = q.get(name);
    if (value !== null && !FLAGS.has(value.toLowerCase())) throw new Error(`${name} must be true or false`);
  }
  const user = decodeURIComponent(url.username);
  if (!user) throw new Error('the SQL Server address names no user (mssql://user@server/database)');
  const secret = password ?? decodeURIComponent(url.password);
  if (!secret) throw new Error(`no password for the SQL Server user ${user}`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'vigia';
  const timeout = Number(q.get('connectTimeout') ?? '15');
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 300)
    throw new Error('connectTimeout is seconds, 1 to 300');
  const domain = q.get('domain');
  const instanceName = q.get('instance') ?? undefined;
  return {
    server: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(instanceName ? { instanceName } : {}),
    ...(url.port ? { port: Number(url.port) } : {}),
    database,
    authentication: domain ? { kind: 'ntlm', domain, user, password: secret } : { kind: 'sql', user, password: secret },
    encrypt: flag(q.get('encrypt'), true),
    trustServerCertificate: flag(q.get('trustServerCertificate'), false),
    connectTimeoutMs: timeout * 1000,
  };
}

/** Where the store is, for logs and errors: everything but the password. */
export function describeConnection(c: MssqlConnection): string {
  const where = c.instanceName ? `${c.server}\\${c.instanceName}` : `${c.server}${c.port ? `:${c.port}` : ''}`;
  const who =
    c.authentication.kind === 'ntlm' ? `${c.authentication.domain}\\${c.authentication.user}` : c.authentication.user;
  return `SQL Server ${where}, database ${c.database}, as ${who}`;
}

export function driverConfig(c: MssqlConnection, database = c.database): mssql.config {
  return {
    server: c.server,
    ...(c.port && !c.instanceName ? { port: c.port } : {}),
    database,
    ...(c.authentication.kind === 'ntlm'
      ? {
          authentication: {
            type: 'ntlm',
            options: {
              domain: c.authentication.domain,
              userName: c.authentication.user,
              password: c.authentication.password,
            },
          },
        }
      : { user: c.authentication.user, password: c.authentication.password }),
    connectionTimeout: c.connectTimeoutMs,
    requestTimeout: 60_000,
    pool: { max: 10, min: 0, idleTimeoutMillis: 30_000 },
    options: {
      encrypt: c.encrypt,
      trustServerCertificate: c.trustServerCertificate,
      ...(c.instanceName ? { instanceName: c.instanceName } : {}),
      appName: 'Vigia',
    },
  };
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/**
 * What failed when connecting, in words an installer can act on, from the
 * driver's codes and SQL Server's error numbers (never its message texts).
 */
export function connectionFailure(error: unknown, c: MssqlConnection): Error {
  const where = describeConnection(c);
  const codes: string[] = [];
  const numbers: number[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const e = current as {
      code?: unknown;
      number?: unknown;
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.number === 'number') numbers.push(e.number);
    if (Array.isArray(e.errors))
      for (const inner of e.errors as Array<{ code?: unknown }>)
        if (typeof inner.code === 'string') codes.push(inner.code);
    current = e.originalError ?? e.cause;
  }
  if (numbers.includes(4060)) return new Error(`${where}: the database does not exist (create it, or check its name)`);
  if (codes.includes('ELOGIN') || numbers.includes(18456)) {
    return new Error(`${where}: the login failed (check the user and its password, or the Windows domain)`);
  }
  if (codes.some((code) => TLS_CODES.has(code)) || codes.includes('ETLS')) {
    return new Error(
      `${where}: the encrypted connection failed (the server's certificate is not trusted: install its CA, or set trustServerCertificate=true)`,
    );
  }
  if (codes.includes('EINSTLOOKUP')) {
    return new Error(
      `${where}: the instance was not found (check its name, and that SQL Server Browser runs on the server)`,
    );
  }
  if (codes.includes('ETIMEOUT') || codes.includes('ESOCKET') || codes.includes('ECONNREFUSED')) {
    return new Error(`${where}: the server did not answer (check the address, port or instance, and the firewall)`);
  }
  const code = codes[0] ?? (numbers[0] === undefined ? 'unknown' : `error ${numbers[0]}`);
  return new Error(`${where}: could not connect (${code})`);
}
