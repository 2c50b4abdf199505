import { describe, expect, it } from 'vitest';
import { createProberRegistry, WindowsIcmpProber } from '../../src-main/core/monitor/probers';

/**
 * Runs in the GitHub Actions Windows job (see .github/workflows/ci.yml): the
 * real IcmpSendEcho2, unprivileged, against loopback addresses only (Windows
 * answers every 127.x.y.z).
 */
describe.skipIf(process.platform !== 'win32')('IcmpSendEcho2 on Windows', () => {
  it('is what auto picks, and answers 500 loopback probes sent at once', async () => {
    const auto = createProberRegistry().get('auto')!;
    expect(await auto.check()).toBeNull();
    expect(auto.name).toBe('icmp-windows');

    const prober = new WindowsIcmpProber();
    try {
      expect(await prober.check()).toBeNull();
      const hosts = Array.from({ length: 500 }, (_, i) => `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
      const results = await Promise.all(hosts.map((host) => prober.probe(host, 2000)));
      expect(results.filter((r) => r.alive)).toHaveLength(500);
      expect(results.every((r) => r.rttMs !== null && r.rttMs >= 0 && r.rttMs < 1000)).toBe(true);
      // Names and IPv6 (through the system ping) too.
      expect((await prober.probe('localhost', 2000)).alive).toBe(true);
      expect((await prober.probe('::1', 2000)).alive).toBe(true);
    } finally {
      prober.close();
      auto.close?.();
    }
  });

  it('stops waiting for a probe whose sweep was aborted', async () => {
    const prober = new WindowsIcmpProber();
    try {
      await prober.check();
      const abort = new AbortController();
      const pending = prober.probe('127.0.0.1', 2000, abort.signal);
      abort.abort(new Error('sweep aborted'));
      await expect(pending).rejects.toThrow('sweep aborted');
    } finally {
      prober.close();
    }
  });
});
