import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jpeg from 'jpeg-js';

export const CAMERA_USER = 'admin';
export const CAMERA_PASSWORD = 'Cam#2026-patio';

/** A 320×240 scene: a gradient with a box whose place moves with `frame` (so two frames differ). */
export function sceneJpeg(frame: number): Buffer {
  const width = 320;
  const height = 240;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inBox = Math.abs(x - ((40 + frame * 60) % width)) < 30 && Math.abs(y - 120) < 40;
      data[i] = inBox ? 250 : (x * 255) / width;
      data[i + 1] = inBox ? 240 : (y * 255) / height;
      data[i + 2] = inBox ? 30 : 128;
      data[i + 3] = 255;
    }
  }
  return jpeg.encode({ width, height, data }, 85).data;
}

export function flatJpeg(level: number): Buffer {
  const width = 320;
  const height = 240;
  return jpeg.encode({ width, height, data: Buffer.alloc(width * height * 4, level) }, 85).data;
}

const hashOf = (algorithm: 'md5' | 'sha256') => (text: string) => createHash(algorithm).update(text).digest('hex');

/** Checks a Digest answer as a camera would (RFC 7616: qop=auth, MD5 or SHA-256). */
function digestValid(header: string, method: string, algorithm: 'md5' | 'sha256', nonce: string): boolean {
  const field = (name: string) => new RegExp(`${name}="?([^",]*)"?`, 'i').exec(header)?.[1] ?? '';
  if (!/^Digest /i.test(header) || field('nonce') !== nonce || field('username') !== CAMERA_USER) return false;
  const h = hashOf(algorithm);
  const ha1 = h(`${CAMERA_USER}:${field('realm')}:${CAMERA_PASSWORD}`);
  const ha2 = h(`${method}:${field('uri')}`);
  const expected = h(`${ha1}:${nonce}:${field('nc')}:${field('cnonce')}:${field('qop')}:${ha2}`);
  return field('response') === expected;
}

/**
 * An HTTP server that plays a camera on a loopback address: Digest MD5,
 * Digest SHA-256 and Basic; a live picture, a black one, the same one again
 * and again, a 50 MB body, a slow drip, a redirect to another host, a web page.
 */
export async function startCameraServer(host = '127.0.0.1', redirectTo = 'http://127.0.0.2/picture') {
  let frame = 0;
  let hits = 0;
  const authorizations: string[] = [];
  const frozen = sceneJpeg(7);
  const nonce = createHash('md5').update(String(Math.random())).digest('hex');
  const open: Array<ServerResponse> = [];
  const challenge = (res: ServerResponse, scheme: string) => {
    res.writeHead(401, { 'WWW-Authenticate': scheme }).end();
  };
  const picture = (res: ServerResponse, body: Buffer) => {
    res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': body.length }).end(body);
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    hits++;
    const auth = req.headers.authorization ?? '';
    if (auth) authorizations.push(auth);
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/ISAPI/Streaming/channels/101/picture': {
        if (!digestValid(auth, req.method!, 'md5', nonce)) {
          return challenge(res, `Digest qop="auth", realm="IP Camera(C6214)", nonce="${nonce}", stale="FALSE"`);
        }
        return picture(res, sceneJpeg(frame++));
      }
      case '/cgi-bin/snapshot.cgi': {
        if (!digestValid(auth, req.method!, 'sha256', nonce)) {
          return challenge(
            res,
            `Digest realm="Login to 5J0A", qop="auth", nonce="${nonce}", algorithm=SHA-256, opaque="x1"`,
          );
        }
        return picture(res, sceneJpeg(frame++));
      }
      case '/axis-cgi/jpg/image.cgi': {
        const expected = `Basic ${Buffer.from(`${CAMERA_USER}:${CAMERA_PASSWORD}`).toString('base64')}`;
        if (auth !== expected) return challenge(res, 'Basic realm="AXIS_ACCC8E"');
        return picture(res, sceneJpeg(frame++));
      }
      case '/black':
        return picture(res, flatJpeg(0));
      case '/grey':
        return picture(res, flatJpeg(128));
      case '/frozen':
        return picture(res, frozen);
      case '/huge':
        // Declares 50 MB and starts sending it.
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': 50 * 1024 * 1024 });
        open.push(res);
        return res.write(Buffer.alloc(64 * 1024));
      case '/huge-undeclared': {
        res.writeHead(200, { 'Content-Type': 'image/jpeg' });
        open.push(res);
        const chunk = Buffer.alloc(256 * 1024, 0xff);
        const more = () => {
          for (let i = 0; i < 8 && !res.destroyed; i++) res.write(chunk);
          if (!res.destroyed && res.writableLength < 50 * 1024 * 1024) setTimeout(more, 5);
        };
        return more();
      }
      case '/drip': {
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': 100_000 });
        open.push(res);
        res.write(Buffer.from([0xff, 0xd8, 0xff]));
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(Buffer.alloc(1))), 300);
        return;
      }
      case '/redirect':
        res.writeHead(302, { Location: redirectTo }).end();
        return;
      case '/page':
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Login</body></html>');
        return;
      case '/broken':
        return picture(res, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x41)]));
      default:
        res.writeHead(404).end();
    }
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const base = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits: () => hits,
    /** Every Authorization header this camera was sent. */
    authorizations: () => [...authorizations],
    async close() {
      open.forEach((res) => res.destroy());
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
