import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeSnapshot } from '../../src-main/core/video/health';
import type { VideoMemory } from '../../src-main/core/video/health';
import { checkRtsp } from '../../src-main/core/video/rtsp';
import { fetchSnapshot } from '../../src-main/core/video/snapshot';
import { CAMERA_PASSWORD, CAMERA_USER, startCameraServer } from '../helpers/camera-server';

type CameraServer = Awaited<ReturnType<typeof startCameraServer>>;

describe('camera snapshots over HTTP (a local server plays the camera)', () => {
  let camera: CameraServer;
  let elsewhere: CameraServer;
  const ask = (path: string, options: { password?: string; timeoutMs?: number; host?: string } = {}) =>
    fetchSnapshot({
      url: `${camera.base}${path}`,
      deviceHost: options.host ?? '127.0.0.1',
      username: CAMERA_USER,
      password: options.password ?? CAMERA_PASSWORD,
      timeoutMs: options.timeoutMs ?? 5_000,
    });

  beforeAll(async () => {
    elsewhere = await startCameraServer('127.0.0.2');
    camera = await startCameraServer('127.0.0.1', `${elsewhere.base}/frozen`);
  });
  afterAll(async () => {
    await camera.close();
    await elsewhere.close();
  });

  it.each([
    ['Digest MD5 (Hikvision ISAPI)', '/ISAPI/Streaming/channels/101/picture', 'digest-md5'],
    ['Digest SHA-256 (Dahua/Intelbras)', '/cgi-bin/snapshot.cgi', 'digest-sha-256'],
    ['Basic (Axis VAPIX)', '/axis-cgi/jpg/image.cgi', 'basic'],
  ])('gets the picture with %s, the scheme read from the challenge', async (_name, path, auth) => {
    const snapshot = await ask(path);
    expect(snapshot).toMatchObject({ ok: true, auth });
    expect(judgeSnapshot(snapshot, null).health).toBe('ok');
    // A wrong password is named as such.
    expect(await ask(path, { password: 'wrong' })).toMatchObject({ ok: false, problem: 'unauthorized' });
  });

  it('tells a black or one-colour picture, and a frozen one after K checks, from a live one', async () => {
    expect(judgeSnapshot(await ask('/black'), null).health).toBe('black');
    expect(judgeSnapshot(await ask('/grey'), null).health).toBe('uniform');
    const judge = async (path: string, checks: number) => {
      let memory: VideoMemory | null = null;
      const seen: string[] = [];
      for (let i = 0; i < checks; i++) {
        const verdict = judgeSnapshot(await ask(path), memory);
        memory = verdict.memory;
        seen.push(verdict.health);
      }
      return seen;
    };
    expect(await judge('/frozen', 4)).toEqual(['ok', 'ok', 'frozen', 'frozen']);
    expect(await judge('/ISAPI/Streaming/channels/101/picture', 4)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('stops a 50 MB answer at once, declared or not, and a slow drip at the time limit', async () => {
    const declared = await ask('/huge');
    expect(declared).toMatchObject({ ok: false, problem: 'too_large' });
    expect(declared.ms).toBeLessThan(2_000);
    const undeclared = await ask('/huge-undeclared');
    expect(undeclared).toMatchObject({ ok: false, problem: 'too_large' });
    expect(undeclared.ms).toBeLessThan(5_000);
    const drip = await ask('/drip', { timeoutMs: 1_000 });
    expect(drip).toMatchObject({ ok: false, problem: 'timeout' });
    expect(drip.ms).toBeGreaterThanOrEqual(900);
    expect(drip.ms).toBeLessThan(3_000);
  });

  it('never follows a redirect, nor asks any host but the device, nor any scheme but http(s)', async () => {
    const before = elsewhere.hits();
    expect(await ask('/redirect')).toMatchObject({ ok: false, problem: 'redirect' });
    expect(await ask('/frozen', { host: '127.0.0.9' })).toMatchObject({ ok: false, problem: 'other_host' });
    expect(
      await fetchSnapshot({ url: 'file:///etc/passwd', deviceHost: '127.0.0.1', username: '', password: '' }),
    ).toMatchObject({ ok: false, problem: 'bad_url' });
    expect(elsewhere.hits()).toBe(before);
  });

  it('names what is not a picture: a web page, a broken JPEG, a closed port', async () => {
    expect(await ask('/page')).toMatchObject({ ok: false, problem: 'not_an_image' });
    const broken = judgeSnapshot(await ask('/broken'), null);
    expect(broken).toMatchObject({
      health: 'no_image',
      detail: expect.stringContaining('cannot be decoded') as string,
    });
    const closed = await fetchSnapshot({
      url: 'http://127.0.0.1:9/snapshot.jpg',
      deviceHost: '127.0.0.1',
      username: '',
      password: '',
    });
    expect(closed).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(judgeSnapshot(closed, null).health).toBe('no_image');
  });
});

/** An RTSP camera on loopback: answers with Digest, or says nothing at all. */
async function startRtspServer(mode: 'digest' | 'silent'): Promise<{ url: string; close(): Promise<void> }> {
  const nonce = 'a1b2c3d4';
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    if (mode === 'silent') return;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        const request = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const [line = ''] = request.split('\r\n');
        const [method = '', uri = ''] = line.split(' ');
        const cseq = /CSeq: (\d+)/i.exec(request)?.[1] ?? '0';
        const auth = /Authorization: (.*)/i.exec(request)?.[1] ?? '';
        const reply = (status: string, headers: string[] = [], body = '') =>
          socket.write(
            [
              `RTSP/1.0 ${status}`,
              `CSeq: ${cseq}`,
              ...headers,
              `Content-Length: ${Buffer.byteLength(body)}`,
              '',
              body,
            ].join('\r\n'),
          );
        if (method === 'OPTIONS') {
          reply('200 OK', ['Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN']);
          continue;
        }
        const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(auth)?.[1] ?? '';
        const md5 = (t: string) => createHash('md5').update(t).digest('hex');
        const expected = md5(
          `${md5(`${CAMERA_USER}:IP Camera:${CAMERA_PASSWORD}`)}:${nonce}:${md5(`DESCRIBE:${uri}`)}`,
        );
        if (field('response') !== expected) {
          reply('401 Unauthorized', [`WWW-Authenticate: Digest realm="IP Camera", nonce="${nonce}"`]);
          continue;
        }
        reply('200 OK', ['Content-Type: application/sdp'], 'v=0\r\nm=video 0 RTP/AVP 96\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `rtsp://127.0.0.1:${(server.address() as AddressInfo).port}/Streaming/Channels/101`,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the RTSP check (a local TCP server plays the camera)', () => {
  const check = (url: string, password = CAMERA_PASSWORD) =>
    checkRtsp({ url, deviceHost: '127.0.0.1', username: CAMERA_USER, password, timeoutMs: 1_000 });

  it('says the stream answers after OPTIONS and an authenticated DESCRIBE, or that the credentials are wrong', async () => {
    const rtsp = await startRtspServer('digest');
    try {
      expect(await check(rtsp.url)).toMatchObject({
        ok: true,
        detail: expect.stringContaining('DESCRIBE 200') as string,
      });
      expect(await check(rtsp.url, 'wrong')).toMatchObject({ ok: false, problem: 'unauthorized' });
    } finally {
      await rtsp.close();
    }
  });

  it('gives up on a silent camera at the time limit, and names a closed port and another host', async () => {
    const rtsp = await startRtspServer('silent');
    try {
      const silent = await check(rtsp.url);
      expect(silent).toMatchObject({ ok: false, problem: 'timeout' });
      expect(silent.ms).toBeLessThan(2_500);
    } finally {
      await rtsp.close();
    }
    expect(await check('rtsp://127.0.0.1:9/stream')).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(await check('rtsp://127.0.0.5:554/stream')).toMatchObject({ ok: false, problem: 'other_host' });
    expect(await check('http://127.0.0.1/stream')).toMatchObject({ ok: false, problem: 'bad_url' });
  });
});
