import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoProber, FpingProber, IcmpSocketProber, SystemPingProber } from '../../src-main/core/monitor/probers';
import { TestNamespace } from '../helpers/netns';
import { APP_ROOT } from '../helpers/temp';

interface ProbeRun {
  prober: string;
  problem: string | null;
  results: Array<{ host: string; alive?: boolean; rttMs?: number | null; error?: string }>;
  wallMs: number;
  cpuMs: number;
}

const HOSTS = 2000;
const hostOf = (i: number) => `127.2.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const hosts = Array.from({ length: HOSTS }, (_, i) => hostOf(i));
// Every tenth host drops echo requests on the namespace's input hook: it times out, as a dead camera does.
const unreachable = new Set(hosts.filter((_, i) => i % 10 === 3));

/**
 * The probers against real loopback addresses in a namespace of the test's
 * own, where the test sets `net.ipv4.ping_group_range` and drops some echo
 * requests with nftables. The host's own settings and network are untouched.
 */
describe.skipIf(process.platform !== 'linux')('probers with thousands in flight (real ICMP, own namespace)', () => {
  let ns: TestNamespace;

  beforeAll(() => {
    ns = new TestNamespace();
    ns.allowIcmpSockets();
    const dropped = [...unreachable];
    for (let i = 0; i < dropped.length; i += 200) ns.setUnreachable(dropped.slice(i, i + 200), true);
  });
  afterAll(() => ns?.remove());

  const probeInside = (
    prober: string,
    targets: readonly string[],
    timeoutMs = 1000,
    abortAfterMs?: number,
  ): ProbeRun => {
    const [program, ...args] = ns.wrap([
      join(APP_ROOT, 'node_modules', '.bin', 'tsx'),
      join(APP_ROOT, 'tests', 'helpers', 'probe-hosts.ts'),
      prober,
      String(timeoutMs),
      ...(abortAfterMs === undefined ? [] : [String(abortAfterMs)]),
    ]);
    const run = spawnSync(program!, args, { input: targets.join('\n'), encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`probe-hosts failed: ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as ProbeRun;
  };

  const expectEveryAnswerRight = (run: ProbeRun) => {
    expect(run.results).toHaveLength(HOSTS);
    const wrong = run.results.filter((r) => r.error !== undefined || r.alive === unreachable.has(r.host));
    expect(wrong).toEqual([]);
    const answered = run.results.filter((r) => r.alive);
    expect(answered.every((r) => typeof r.rttMs === 'number' && r.rttMs >= 0 && r.rttMs < 1000)).toBe(true);
  };

  it('sends 2,000 echo requests from one ICMP socket at once and loses no reply', () => {
    const run = probeInside('icmp-socket', hosts);
    expect(run.problem).toBeNull();
    expectEveryAnswerRight(run);
    // All in flight together: the unreachable ones time out together, not one after another.
    expect(run.wallMs).toBeLessThan(10_000);
  });

  it('gives up on probes still waiting when the sweep is aborted, and keeps the answers it had', () => {
    const run = probeInside('icmp-socket', hosts.slice(0, 100), 5000, 500);
    expect(run.wallMs).toBeLessThan(3000);
    for (const result of run.results) {
      if (unreachable.has(result.host)) expect(result.error).toBe('sweep aborted');
      else expect(result.alive).toBe(true);
    }
  });

  it('answers IPv6, names and unresolvable names like ping does', () => {
    const run = probeInside('icmp-socket', ['::1', 'localhost', '127.0.0.1', 'nothing-here.invalid']);
    expect(Object.fromEntries(run.results.map((r) => [r.host, r.alive]))).toEqual({
      '::1': true,
      localhost: true,
      '127.0.0.1': true,
      'nothing-here.invalid': false,
    });
  });

  it('gives fping the same answers from one process per sweep', () => {
    const run = probeInside('fping', hosts);
    expect(run.problem).toBeNull();
    expectEveryAnswerRight(run);
  });

  it('picks ICMP sockets automatically where the group range allows them', () => {
    const run = probeInside('auto', hosts.slice(0, 10));
    expect(run.prober).toBe('icmp-socket');
    expect(run.results.filter((r) => r.alive)).toHaveLength(9);
  });
});

describe.skipIf(process.platform !== 'linux')(
  'when ICMP sockets are not allowed (this host: ping_group_range "1 0")',
  () => {
    it('says so in plain words with the exact setting, and auto falls back to fping, then ping', async () => {
      const icmp = new IcmpSocketProber();
      expect(await icmp.check()).toBe('icmp_not_permitted');
      await expect(icmp.probe('127.0.0.1', 500)).rejects.toThrow(
        /net\.ipv4\.ping_group_range \(now "1 0"\).*sysctl -w net\.ipv4\.ping_group_range="0 2147483647"/,
      );

      const auto = new AutoProber([icmp, new FpingProber(), new SystemPingProber()], undefined);
      expect(await auto.check()).toBeNull();
      expect(auto.name).toBe('fping');
      expect(auto.choice()).toEqual({
        active: 'fping',
        candidates: [
          { name: 'icmp-socket', problem: 'icmp_not_permitted', tried: true },
          { name: 'fping', problem: null, tried: true },
          { name: 'ping', problem: null, tried: false },
        ],
      });
      expect(await auto.probe('127.0.0.1', 1000)).toMatchObject({ alive: true });

      // No fping on this machine: the system ping, and the reason for each.
      const noFping = new AutoProber([icmp, new FpingProber(() => null), new SystemPingProber()], undefined);
      expect(await noFping.check()).toBeNull();
      expect(noFping.choice().candidates.map((c) => [c.name, c.problem])).toEqual([
        ['icmp-socket', 'icmp_not_permitted'],
        ['fping', 'fping_missing'],
        ['ping', null],
      ]);
      expect(noFping.name).toBe('ping');
    });
  },
);
