import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { consoleLogger } from '../core/runtime';
import { defaultDataDir } from '../core/paths';
import { exportOnce, startCentral } from './runner';

export const DEFAULT_PORT = 7373;

const USAGE = `Usage: vigia serve [options]
       vigia export-bi --data-dir <folder> --out <folder>

Runs a Vigia central without Electron: embedded SQLite store, the user
interface and the contract over HTTP + WebSocket.

Options:
  --data-dir <folder>  where the store lives (default: ${defaultDataDir()})
  --port <number>      TCP port (default: ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>     interface to listen on (default: 127.0.0.1); another
                       address exposes Vigia to the network, so it is opt-in
  --allow-host <name>  a host name browsers may use to reach this server
                       besides localhost and the --host address (repeatable);
                       pages under any other name are refused
  --demo               seed three areas and 60 devices into an empty store
  --no-monitor         serve the UI and contract without sweeping devices
                       (a second window onto a store another instance monitors)
  --help               show this text

export-bi writes the Power BI files (snapshots_diarios.csv and
snapshots_mensais.csv for every area and for all areas) of the store in
--data-dir into --out, once: for a scheduled task.
`;

const ServeOptions = z.object({
  dataDir: z.string().min(1).default(defaultDataDir()),
  port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
  host: z.string().min(1).default('127.0.0.1'),
  allowHosts: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(253)
        .regex(/^[A-Za-z0-9.:[\]-]+$/),
    )
    .default([]),
  demo: z.boolean().default(false),
  monitor: z.boolean(),
});

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        demo: { type: 'boolean' },
        'no-monitor': { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command = 'serve'] = parsed.positionals;
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'export-bi') {
    const dataDir = parsed.values['data-dir'];
    const out = parsed.values.out;
    if (!dataDir || !out) {
      console.error(`export-bi needs --data-dir and --out\n\n${USAGE}`);
      return 2;
    }
    const appRoot = fileURLToPath(new URL('../..', import.meta.url));
    const result = await exportOnce({ appRoot, dataDir, out, logger: consoleLogger });
    for (const file of result.files) console.log(`${file.path}\t${file.rows} rows`);
    console.log(`exported ${result.files.length} files in ${result.durationMs} ms`);
    return 0;
  }
  if (command !== 'serve') {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const options = ServeOptions.safeParse({
    dataDir: parsed.values['data-dir'],
    port: parsed.values.port,
    host: parsed.values.host,
    allowHosts: parsed.values['allow-host'],
    demo: parsed.values.demo,
    monitor: !parsed.values['no-monitor'],
  });
  if (!options.success) {
    console.error(
      `invalid option: ${options.error.issues.map((i) => `--${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
    return 2;
  }

  // Listen before starting, so a signal during start-up still ends in a clean stop.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      consoleLogger.info(`${signal} received, stopping`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const appRoot = fileURLToPath(new URL('../..', import.meta.url));
  const central = await startCentral({ ...options.data, appRoot, logger: consoleLogger });
  console.log(`Vigia central running at ${central.url} (data: ${options.data.dataDir})`);

  await stopRequested;
  await central.stop();
  console.log('Vigia central stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`vigia: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
