import { z } from 'zod';
import { SetupInput } from '../domain/setup';
import type { InstallationSummary, InstallMode, SetupCheck } from '../domain/setup';
import { edit, view } from '../domain/permissions';
import { returns } from './define';
import type { ChannelMap } from './define';

/**
 * The first-run wizard's calls. Public: nobody can log in before the copy
 * knows where its store is. A configured copy answers `needed: false` and
 * refuses the other two.
 */
export const setupChannels = {
  'setup.status': {
    input: z.object({}).strict(),
    output: returns<{ needed: boolean; mode: InstallMode | null }>(),
    permission: 'public',
  },
  /** Tries the configuration (connects, logs in, checks the key and the certificate); saves nothing. */
  'setup.check': { input: SetupInput, output: returns<SetupCheck>(), permission: 'public' },
  /** Tries it again and, only if it works, saves it; the copy then starts in that mode. */
  'setup.save': { input: SetupInput, output: returns<SetupCheck>(), permission: 'public' },
  /** Settings: what this copy runs as. */
  'setup.current': {
    input: z.object({}).strict(),
    output: returns<InstallationSummary>(),
    permission: view('settings', 'unscoped'),
  },
  /**
   * Settings: another mode, tried like the wizard's and kept only if it works;
   * the copy then restarts in it. An administrator's call, audited.
   */
  'setup.change': { input: SetupInput, output: returns<SetupCheck>(), permission: edit('settings', 'admin') },
} as const satisfies ChannelMap;
