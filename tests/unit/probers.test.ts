import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProberProblem } from '../../src-shared/domain/monitoring';
import { AutoProber } from '../../src-main/core/monitor/probers';
import type { Prober } from '../../src-main/core/monitor/probers';
import { parseFpingOutput } from '../../src-main/core/monitor/probers/fping';
import { ipBytes } from '../../src-main/core/monitor/probers/ip-bytes';

describe('fping output', () => {
  it('reads answers, silences and hosts it never named', () => {
    const output = [
      '10.0.0.1   : 0.43',
      '10.0.0.2   : -',
      'cam-01.local : 12.5',
      'fping: nothing.invalid: Name or service not known',
      '',
    ].join('\n');
    const results = parseFpingOutput(output);
    expect([...results]).toEqual([
      ['10.0.0.1', 0.43],
      ['10.0.0.2', null],
      ['cam-01.local', 12.5],
    ]);
    expect(results.has('nothing.invalid')).toBe(false);
  });
});

describe('IP addresses as bytes (sockaddr and reply matching)', () => {
  it.each([
    ['10.1.2.3', '0a010203'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::10', '20010db8000000000000000000000010'],
    ['fe80::1%2', 'fe800000000000000000000000000001'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
  ])('%s', (address, hex) => expect(ipBytes(address).toString('hex')).toBe(hex));
  it('refuses what is not an address', () => expect(() => ipBytes('cam-01')).toThrow(/not an IP address/));
});

/** A prober that answers `check` with what the test sets, and counts how often it was asked. */
function fakeProber(name: string, problem: ProberProblem | null) {
  const fake = {
    name,
    problem,
    checks: 0,
    capacity: () => 1,
    probe: () => Promise.resolve({ alive: true, rttMs: 1 }),
    check() {
      fake.checks++;
      return Promise.resolve(fake.problem);
    },
  };
  return fake satisfies Prober;
}

describe('choosing a prober', () => {
  afterEach(() => vi.useRealTimers());

  it('asks a refused better prober again only every 30 s, and takes it up once it works', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 1) });
    const sockets = fakeProber('icmp-socket', 'icmp_not_permitted');
    const ping = fakeProber('ping', null);
    const auto = new AutoProber([sockets, ping], undefined);
    for (let sweep = 0; sweep < 6; sweep++) {
      expect(await auto.check()).toBeNull();
      vi.advanceTimersByTime(5_000);
    }
    expect(sockets.checks).toBe(1);
    expect(ping.checks).toBe(6);
    expect(auto.name).toBe('ping');
    // The administrator fixes the setting: within half a minute the sweeps use it.
    sockets.problem = null;
    vi.advanceTimersByTime(5_000);
    await auto.check();
    expect(auto.name).toBe('icmp-socket');
  });
});
