import mssql from 'mssql';
import type { SetupCheck, SetupInput } from '../../../src-shared/domain/setup';
import { SyncClient, SyncError } from '../agent/sync-client';
import { systemClock } from '../runtime';
import { connectionFailure, driverConfig, parseMssqlUrl } from '../store/mssql/config';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Tries a configuration before it is saved: SQL Server is connected to and
 * logged in to; an agent's central is asked for the area's configuration
 * with the key, over TLS pinned to the fingerprint. What failed is named
 * with the field to correct.
 */
export async function checkSetup(input: SetupInput): Promise<SetupCheck> {
  if (input.mode === 'agent') return checkAgent(input);
  if (input.store === 'sqlite') return { ok: true };
  return checkMssql(input.url, input.password);
}

async function checkMssql(url: string, password: string): Promise<SetupCheck> {
  let connection;
  try {
    connection = parseMssqlUrl(url, password);
  } catch (error) {
    return { ok: false, field: 'url', message: error instanceof Error ? error.message : String(error) };
  }
  const pool = new mssql.ConnectionPool({
    ...driverConfig(connection),
    connectionTimeout: CONNECT_TIMEOUT_MS,
  });
  pool.on('error', () => undefined);
  try {
    await pool.connect();
    await pool.request().query('SELECT 1 AS ok');
    return { ok: true };
  } catch (error) {
    const message = connectionFailure(error, connection).message;
    return { ok: false, field: /login failed/.test(message) ? 'password' : 'url', message };
  } finally {
    await pool.close().catch(() => undefined);
  }
}

async function checkAgent(input: Extract<SetupInput, { mode: 'agent' }>): Promise<SetupCheck> {
  let client: SyncClient;
  try {
    client = new SyncClient({
      centralUrl: input.central,
      areaCode: input.area,
      key: input.key,
      fingerprint: input.fingerprint || null,
      localClock: systemClock,
      onTiming: () => undefined,
    });
  } catch (error) {
    return { ok: false, field: 'fingerprint', message: error instanceof Error ? error.message : String(error) };
  }
  try {
    await client.config();
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof SyncError)) return { ok: false, field: 'central', message };
    if (/certificate/.test(message)) return { ok: false, field: 'fingerprint', message };
    if (error.code === 'unauthorized') return { ok: false, field: 'key', message };
    if (error.code === 'wrong_area' || error.code === 'not_found') return { ok: false, field: 'area', message };
    return { ok: false, field: 'central', message };
  } finally {
    client.close();
  }
}
