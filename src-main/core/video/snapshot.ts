import DigestClient from 'digest-fetch';

/** Why a picture could not be had, in terms an operator can act on. */
export type SnapshotProblem =
  | 'bad_url'
  | 'other_host'
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'redirect'
  | 'http_error'
  | 'too_large'
  | 'not_an_image';

export type SnapshotAuth = 'none' | 'basic' | 'digest-md5' | 'digest-sha-256';

export type Snapshot =
  | { readonly ok: true; readonly bytes: Buffer; readonly auth: SnapshotAuth; readonly ms: number }
  | { readonly ok: false; readonly problem: SnapshotProblem; readonly detail: string; readonly ms: number };

export interface SnapshotRequest {
  readonly url: string;
  /** The device's own address: the URL must point at it, and nothing else is ever asked. */
  readonly deviceHost: string;
  readonly username: string;
  readonly password: string;
  /** For the whole exchange, body included: a camera that drips its answer is cut off. */
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** A 4K JPEG is a few MB; anything far beyond is not a snapshot. */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export class SnapshotFailure extends Error {
  constructor(
    readonly problem: SnapshotProblem,
    message: string,
  ) {
    super(message);
  }
}

/** The URL, checked: http(s) only, and only to the device's own host (by name or address, as registered). */
export function snapshotUrl(url: string, deviceHost: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SnapshotFailure('bad_url', `not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SnapshotFailure('bad_url', `only http and https are asked, not ${parsed.protocol}`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host !== deviceHost.replace(/^\[|\]$/g, '').toLowerCase()) {
    throw new SnapshotFailure('other_host', `the URL points at ${host}, not at the device (${deviceHost})`);
  }
  if (parsed.username || parsed.password) {
    throw new SnapshotFailure('bad_url', 'credentials go in their own fields, never in the URL');
  }
  return parsed;
}

/** Which scheme the camera asks for, read from its challenge: Basic, or Digest with its algorithm. */
export function challengeOf(header: string | null): SnapshotAuth | null {
  if (!header) return null;
  if (/^\s*basic\b/i.test(header)) return 'basic';
  if (!/^\s*digest\b/i.test(header)) return null;
  const algorithm = /algorithm="?([A-Za-z0-9-]+)"?/i.exec(header)?.[1]?.toUpperCase() ?? 'MD5';
  if (algorithm === 'MD5' || algorithm === 'MD5-SESS') return 'digest-md5';
  if (algorithm === 'SHA-256' || algorithm === 'SHA-256-SESS') return 'digest-sha-256';
  return null;
}

/**
 * Asks the camera for one picture. Safety first: only its own host, no
 * redirect followed (a camera that points elsewhere is reported, never
 * followed), the size and the time of the whole exchange capped, and the
 * answer must be a JPEG. Authentication is what the camera's challenge asks
 * for: Basic, or Digest with MD5 or SHA-256 (digest-fetch does the hashing).
 */
export async function fetchSnapshot(request: SnapshotRequest): Promise<Snapshot> {
  const started = Date.now();
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const url = snapshotUrl(request.url, request.deviceHost).href;
    const options = () => ({ redirect: 'manual' as const, signal, headers: { Accept: 'image/jpeg' } });
    let auth: SnapshotAuth = 'none';
    let response = await fetch(url, options());
    if (response.status === 401) {
      await response.body?.cancel();
      const asked = challengeOf(response.headers.get('www-authenticate'));
      if (!asked)
        throw new SnapshotFailure('unauthorized', 'the camera asks for an authentication Vigia does not speak');
      auth = asked;
      response = await authenticated(url, request, asked, response.headers.get('www-authenticate')!, options());
    }
    await refuseWhatIsNotAPicture(response);
    const bytes = await readCapped(response, request.maxBytes ?? DEFAULT_MAX_BYTES);
    if (!(bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)) {
      throw new SnapshotFailure('not_an_image', `the answer is not a JPEG picture (${bytes.length} bytes)`);
    }
    return { ok: true, bytes, auth, ms: Date.now() - started };
  } catch (error) {
    const failure = asFailure(error, signal, timeoutMs);
    return { ok: false, problem: failure.problem, detail: failure.message, ms: Date.now() - started };
  }
}

async function authenticated(
  url: string,
  request: SnapshotRequest,
  auth: SnapshotAuth,
  challenge: string,
  options: RequestInit,
): Promise<Response> {
  const client = new DigestClient(
    request.username,
    request.password,
    auth === 'basic' ? { basic: true } : { algorithm: auth === 'digest-sha-256' ? 'SHA-256' : 'MD5' },
  );
  // The challenge is already in hand: the first authenticated request answers it.
  if (auth !== 'basic') client.parseAuth(challenge);
  const response = (await client.fetch(url, options)) as Response;
  if (response.status === 401) {
    await response.body?.cancel();
    throw new SnapshotFailure('unauthorized', 'the camera refused the user name or password');
  }
  return response;
}

async function refuseWhatIsNotAPicture(response: Response): Promise<void> {
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    const location = response.headers.get('location') ?? 'nowhere';
    throw new SnapshotFailure('redirect', `the camera redirects to ${location}; redirects are never followed`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SnapshotFailure('http_error', `the camera answered HTTP ${response.status}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (type && !/^image\//i.test(type)) {
    await response.body?.cancel();
    throw new SnapshotFailure('not_an_image', `the camera answered ${type.split(';')[0]}, not a picture`);
  }
}

/** The body, up to `max` bytes: a declared or actual size beyond it stops the download at once. */
async function readCapped(response: Response, max: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    throw new SnapshotFailure('too_large', `the camera sends ${declared} bytes; a picture is at most ${max}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new SnapshotFailure('too_large', `the camera sent more than ${max} bytes; a picture is at most that`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function asFailure(error: unknown, signal: AbortSignal, timeoutMs: number): SnapshotFailure {
  if (error instanceof SnapshotFailure) return error;
  if (signal.aborted) return new SnapshotFailure('timeout', `no complete picture within ${timeoutMs} ms`);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new SnapshotFailure('unreachable', `the camera could not be reached (${text})`);
}
