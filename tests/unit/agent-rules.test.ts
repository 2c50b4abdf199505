import { describe, expect, it } from 'vitest';
import { agentLink } from '../../src-shared/domain/agents';
import { CentralClock } from '../../src-main/core/agent/central-clock';
import { Backoff } from '../../src-main/core/agent/backoff';
import { checkAgentOptions } from '../../src-main/core/agent/start';
import type { AgentStatus } from '../../src-main/core/agent/agent';
import { renderStatus } from '../../src-main/core/agent/status-page';
import { agentKeyMatches, agentKeyPrefix, generateAgentKey } from '../../src-main/core/agent-sync/keys';
import { agentListenOptions, parseListenAddress } from '../../src-main/core/agent-sync/listen-options';
import { ManualClock } from '../helpers/clock';

const MINUTE = 60_000;

describe('agent link as the control room sees it', () => {
  const timing = { heartbeatMs: 30_000, silenceMs: 180_000 };
  const now = Date.UTC(2026, 11, 1, 12);
  it.each([
    [null, 'none'],
    [now - 60_000, 'online'],
    [now - 60_001, 'late'],
    [now - 180_000, 'late'],
    [now - 180_001, 'down'],
  ] as const)('heard from at %s: %s', (at, link) => expect(agentLink(at, now, timing)).toBe(link));
});

describe('agent keys', () => {
  it('are long, random, named by a public prefix and matched only whole', () => {
    const a = generateAgentKey();
    const b = generateAgentKey();
    expect(a.key).toMatch(/^vga_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(agentKeyPrefix(a.key)).toBe(a.prefix);
    expect(a.hash).not.toContain(a.key.slice(15));
    expect(agentKeyMatches(a.key, a.hash)).toBe(true);
    expect(agentKeyMatches(b.key, a.hash)).toBe(false);
    expect(agentKeyMatches(`${a.key}x`, a.hash)).toBe(false);
    expect(agentKeyMatches(a.key, 'not-a-hash')).toBe(false);
  });
  it.each(['', 'vga_', 'vga_ABCDEFGHIJ_' + 'a'.repeat(43), 'vga_abcdefghij_short', ` ${generateAgentKey().key}`])(
    'a malformed key %j has no prefix, so the store is never asked',
    (key) => expect(agentKeyPrefix(key)).toBeNull(),
  );
});

describe("the central's clock on an agent", () => {
  it('takes the offset from the fastest exchange and puts a 10-minute-slow host on the central timeline', () => {
    const local = new ManualClock(Date.UTC(2026, 11, 1, 12));
    const clock = new CentralClock(local, 0);
    const central = (at: number) => at + 10 * MINUTE;
    // A slow answer (2 s round trip, answered late) says little; the 20 ms one is trusted.
    clock.observe(local.now(), local.now() + 2000, central(local.now()) + 1900);
    clock.observe(local.now() + 3000, local.now() + 3020, central(local.now() + 3010));
    expect(clock.offset).toBe(10 * MINUTE);
    expect(clock.hostClockError).toBe(-10 * MINUTE);
    expect(clock.now()).toBe(local.now() + 10 * MINUTE);
  });

  it('never runs backwards after a small correction, and reports a step', () => {
    const local = new ManualClock(Date.UTC(2026, 11, 1, 12));
    const steps: Array<[number, number]> = [];
    const clock = new CentralClock(local, 0, (from, to) => steps.push([from, to]));
    clock.observe(local.now(), local.now() + 10, local.now() + 5 + 500);
    const before = clock.now();
    // A faster exchange moves the estimate 400 ms back: time holds still instead of repeating itself.
    clock.observe(local.now(), local.now(), local.now() + 100);
    expect(clock.now()).toBe(before);
    local.advance(1000);
    expect(clock.now()).toBe(local.now() + 100);
    expect(steps).toEqual([]);

    clock.observe(local.now(), local.now(), local.now() - 5 * MINUTE);
    expect(steps).toEqual([[100, -5 * MINUTE]]);
    expect(clock.now()).toBe(local.now() - 5 * MINUTE);
  });
});

describe('retry backoff', () => {
  it('doubles from 1 s to a one-minute cap, jittered ±50 %, and starts again after a success', () => {
    const middle = new Backoff(1000, 60_000, () => 0.5);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => middle.next())).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
    ]);
    middle.reset();
    expect(middle.next()).toBe(1000);
    expect(new Backoff(1000, 60_000, () => 0).next()).toBe(500);
    expect(new Backoff(1000, 60_000, () => 0.999).next()).toBeLessThan(1500);
  });
});

describe('what an installer types', () => {
  const key = generateAgentKey().key;
  const fingerprint = 'ab'.repeat(32);
  const valid = {
    centralUrl: 'https://central.example:7374',
    areaCode: 'ITA',
    key,
    fingerprint,
    plainHttp: false,
    statusPage: { host: '127.0.0.1', port: 7375 },
  };
  it('accepts a well-formed enrolment and normalises the fingerprint', () => {
    expect(checkAgentOptions(valid).fingerprint).toBe(Array(32).fill('AB').join(':'));
  });
  it.each([
    [{ centralUrl: 'central:7374' }, /not a URL|must be an https/],
    [{ centralUrl: 'http://central:7374' }, /unencrypted; add --plain-http/],
    [{ centralUrl: 'ftp://central' }, /https/],
    [{ areaCode: 'itajaí' }, /not an area code/],
    [{ key: 'password123' }, /does not hold an agent key/],
    [{ fingerprint: null }, /--central-fingerprint/],
    [{ fingerprint: 'abc' }, /64 hex digits/],
    [{ statusPage: { host: '0.0.0.0', port: 7375 } }, /loopback only/],
  ])('refuses %j with the reason in words', (change, reason) => {
    expect(() => checkAgentOptions({ ...valid, ...change })).toThrow(reason);
  });
  it('takes plain HTTP only when asked, and then needs no fingerprint', () => {
    expect(checkAgentOptions({ ...valid, centralUrl: 'http://c:7374', plainHttp: true, fingerprint: null })).toEqual({
      fingerprint: null,
    });
  });

  it('reads the listen address, IPv6 included, and refuses what is not one', () => {
    expect(parseListenAddress('0.0.0.0:7374')).toEqual({ host: '0.0.0.0', port: 7374 });
    expect(parseListenAddress('[::]:7374')).toEqual({ host: '::', port: 7374 });
    for (const bad of ['7374', 'host:', 'host:99999', ':7374', 'a:b:7374']) {
      expect(() => parseListenAddress(bad)).toThrow(/give host:port/);
    }
  });
  it('refuses listener flags that contradict each other', () => {
    expect(() => agentListenOptions({ plainHttp: true, certFile: 'c.pem' }, '/d')).toThrow(/contradict/);
    expect(() => agentListenOptions({ publicUrl: 'http://central:7374' }, '/d')).toThrow(/https/);
    expect(agentListenOptions({ off: true }, '/d')).toBeNull();
    expect(agentListenOptions({ publicUrl: 'https://central.example:7374/' }, '/d')).toMatchObject({
      host: '0.0.0.0',
      port: 7374,
      plainHttp: false,
      publicUrl: 'https://central.example:7374',
    });
  });
});

describe("the agent's status page", () => {
  const now = Date.UTC(2026, 11, 1, 12);
  const status: AgentStatus = {
    areaCode: 'ITA',
    areaName: 'Itajaí',
    devices: 120,
    link: 'failing',
    lastContactAt: now - 90 * MINUTE,
    lastError: { code: 'network', message: 'connect ECONNREFUSED <central>', at: now - 5000 },
    clockOffsetMs: 12_000,
    outbox: { batches: 3, rows: 4567, oldestUnsentAt: now - 90 * MINUTE },
    observations: { recorded: 10_000, acknowledged: 5433 },
    cameras: { total: 40, everyMinutes: 10, bad: 3, unreported: 7 },
    lastSweep: {
      startedAt: now - 3000,
      durationMs: 812,
      devicesProbed: 120,
      failures: 2,
      overrunMs: 0,
      prober: 'ping',
      probesNotRun: 0,
      proberProblem: null,
    },
    now,
  };
  it('tells a field technician the link, the backlog and the clock in Portuguese, and escapes what it quotes', () => {
    const html = renderStatus(status, 'pt-BR');
    expect(html).toContain('lang="pt-BR"');
    expect(html).toContain('ITA — Itajaí');
    expect(html).toContain('class="failing"');
    expect(html).toContain('&lt;central&gt;');
    expect(html).not.toContain('<central>');
    expect(html).toContain('⚠');
    expect(html).toMatch(/4567/);
    expect(html).toContain(
      '40 câmera(s) verificada(s) a cada 10 min; 3 com imagem ruim; 7 verificação(ões) aguardando envio',
    );
  });
  it('says when the area’s camera checks are off', () => {
    const off = { ...status, cameras: { total: 40, everyMinutes: 0, bad: 0, unreported: 0 } };
    expect(renderStatus(off, 'pt-BR')).toContain('40 câmera(s); verificação desligada nesta área');
    expect(renderStatus(off, 'en')).toContain('40 camera(s); checks are off in this area');
  });
  it('speaks English when asked, with the same figures', () => {
    const html = renderStatus({ ...status, clockOffsetMs: 100 }, 'en');
    expect(html).toContain('lang="en"');
    expect(html).not.toContain('⚠');
    expect(html).toMatch(/4567/);
  });
});
