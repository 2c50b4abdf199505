import { z } from 'zod';
import { isHttpUrl } from './alarm-delivery';
import { AREA_CODE_PATTERN } from './area';

/**
 * The first-run wizard (issue 14): what an installed copy is — a central on
 * its embedded store or on SQL Server, a console over the central's SQL
 * Server, or a field site's agent — chosen once, tested before it is saved.
 */
export const INSTALL_MODES = ['central', 'console', 'agent'] as const;
export type InstallMode = (typeof INSTALL_MODES)[number];

const Secret = z.string({ error: 'required' }).min(1, { error: 'required' }).max(500, { error: 'too_long' });
/** mssql://user@server[:port]/database?encrypt=…; the password travels apart (never in a URL). */
const MssqlUrl = z
  .string({ error: 'required' })
  .trim()
  .max(1000, { error: 'too_long' })
  .regex(/^mssql:\/\/[^:@/\s]+@[^/\s]+\/[^\s]*$/i, { error: 'invalid_store_url' });
/** The SHA-256 of a certificate as the Areas screen shows it: 32 bytes in colon-separated hex. */
export const FINGERPRINT_PATTERN = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

const OnSqlServer = { store: z.literal('mssql'), url: MssqlUrl, password: Secret };

/** By mode, then (a central) by store: each branch names its own wrong fields. */
export const SetupInput = z.discriminatedUnion(
  'mode',
  [
    z.discriminatedUnion(
      'store',
      [
        z.object({ mode: z.literal('central'), store: z.literal('sqlite') }).strict(),
        z.object({ mode: z.literal('central'), ...OnSqlServer }).strict(),
      ],
      { error: 'invalid_choice' },
    ),
    z.object({ mode: z.literal('console'), ...OnSqlServer }).strict(),
    z
      .object({
        mode: z.literal('agent'),
        central: z
          .string({ error: 'required' })
          .trim()
          .max(500, { error: 'too_long' })
          .refine(isHttpUrl, { error: 'invalid_url' }),
        area: z
          .string({ error: 'required' })
          .trim()
          .toUpperCase()
          .regex(AREA_CODE_PATTERN, { error: 'invalid_area_code' }),
        key: Secret,
        /** Empty only for a central started for plain HTTP (then the URL is http://). */
        fingerprint: z
          .string()
          .trim()
          .toUpperCase()
          .refine((v) => v === '' || FINGERPRINT_PATTERN.test(v), { error: 'invalid_fingerprint' }),
      })
      .strict()
      .refine((a) => a.fingerprint !== '' || a.central.toLowerCase().startsWith('http://'), {
        error: 'required',
        path: ['fingerprint'],
      }),
  ],
  { error: 'invalid_choice' },
);
export type SetupInput = z.output<typeof SetupInput>;

/** What the test of a configuration found: fine, or which field is wrong and why in the driver's words. */
export type SetupCheck =
  { readonly ok: true } | { readonly ok: false; readonly field: string; readonly message: string };

/** What Settings shows of the running copy's installation: never a secret. */
export interface InstallationSummary {
  readonly mode: InstallMode;
  readonly store: 'sqlite' | 'mssql' | null;
  /** The SQL Server and database (or nothing for the embedded store). */
  readonly where: string | null;
  /** False when the mode came from the command line: it is changed there, not here. */
  readonly changeable: boolean;
}
