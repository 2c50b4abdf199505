import { z } from 'zod';

const whole = (min: number, max: number) =>
  z
    .number({ error: 'required' })
    .int({ error: 'invalid' })
    .min(min, { error: 'out_of_range' })
    .max(max, { error: 'out_of_range' });

/**
 * How the monitor sweeps. Bounds keep an operator from configuring a sweep
 * that can never finish or a probe flood: at most 500 in flight, a timeout
 * shorter than the interval.
 */
export const MonitorSettings = z
  .object({
    intervalMs: whole(1000, 600_000),
    timeoutMs: whole(200, 60_000),
    concurrency: whole(1, 500),
    /** Consecutive failed probes that confirm OFFLINE (today's system: 1). */
    downAfter: whole(1, 20),
    /** Consecutive successful probes that confirm ONLINE. */
    upAfter: whole(1, 20),
    /** Longest gap between two observations still counted as continuous; longer is nodata. */
    gapCapMs: whole(10_000, 3_600_000),
    /** Days raw probe rows are kept; 0 keeps none (only the per-minute rollups). */
    rawRetentionDays: whole(0, 30),
    /** Days per-minute rollups are kept (they feed the RTT charts); older ones are folded into hours. */
    rollupRetentionDays: whole(1, 400),
    /** Days the per-hour figures are kept: the coarser tier, a few hundred bytes a device-day. */
    hourlyRetentionDays: whole(1, 3660),
    targetPercent: z
      .number({ error: 'required' })
      .min(0, { error: 'out_of_range' })
      .max(100, { error: 'out_of_range' }),
    /** How often an agent reports to the central. */
    agentHeartbeatMs: whole(1000, 300_000),
    /** An agent silent this long no longer covers its area: the central pings it itself. */
    agentSilenceMs: whole(3000, 3_600_000),
  })
  .strict()
  .refine((s) => s.timeoutMs < s.intervalMs, { error: 'timeout_not_below_interval', path: ['timeoutMs'] })
  .refine((s) => s.hourlyRetentionDays >= s.rollupRetentionDays, {
    error: 'hourly_below_minutes',
    path: ['hourlyRetentionDays'],
  })
  // One late heartbeat must not hand an area to the central: at least three must be missed.
  .refine((s) => s.agentSilenceMs >= 3 * s.agentHeartbeatMs, {
    error: 'silence_below_three_heartbeats',
    path: ['agentSilenceMs'],
  });
export type MonitorSettings = z.output<typeof MonitorSettings>;

export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  intervalMs: 5000,
  timeoutMs: 2000,
  concurrency: 50,
  downAfter: 1,
  upAfter: 1,
  gapCapMs: 300_000,
  rawRetentionDays: 0,
  // A week of minutes, then a year and a month of hours: a year of 10,000 devices stays near 4 GB
  // (npm run bench -- storage), inside SQL Server Express's 10 GB.
  rollupRetentionDays: 7,
  hourlyRetentionDays: 400,
  targetPercent: 95,
  agentHeartbeatMs: 30_000,
  agentSilenceMs: 180_000,
};

export const MONITOR_SETTINGS_KEY = 'monitor';

/** Logins and the idle lock (DESIGN.md §9). */
export const SecuritySettings = z
  .object({
    /** Failed logins in a row that lock the account. */
    maxFailedLogins: whole(1, 20),
    lockoutMinutes: whole(1, 1440),
    /** Minutes without keyboard or mouse before the screen locks; 0 never locks (a wall display). */
    idleLockMinutes: whole(0, 480),
  })
  .strict();
export type SecuritySettings = z.output<typeof SecuritySettings>;

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  maxFailedLogins: 5,
  lockoutMinutes: 15,
  idleLockMinutes: 15,
};
export const SECURITY_SETTINGS_KEY = 'security';
