import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { consoleLogger } from '../core/runtime';
import { defaultDataDir } from '../core/paths';
import { copySqliteToMssql } from '../core/store/copy-store';
import { describeConnection } from '../core/store/mssql/config';
import { exportOnce, sqliteMigrationsFolder, startCentral } from './runner';
import { mssqlFromCommandLine } from './store-option';

export const DEFAULT_PORT = 7373;

const USAGE = `Usage: vigia serve [options]
       vigia export-bi --data-dir <folder> --out <folder>
       vigia migrate-store --from <vigia.sqlite> --to <mssql://user@server/database>

Runs Vigia without Electron: the user interface and the contract over HTTP +
WebSocket, on the embedded SQLite store or a shared SQL Server.

serve options:
  --data-dir <folder>  where the store lives (default: ${defaultDataDir()})
  --port <number>      TCP port (default: ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>     interface to listen on (default: 127.0.0.1); another
                       address exposes Vigia to the network, so it is opt-in
  --allow-host <name>  a host name browsers may use to reach this server
                       besides localhost and the --host address (repeatable);
                       pages under any other name are refused
  --store <url>        a SQL Server instead of the embedded store:
                       mssql://user@server[:port]/database?instance=SQLEXPRESS
                       &domain=CORP (Windows login)&encrypt=true
                       &trustServerCertificate=false
  --store-password-file <file>
                       the SQL Server password (else VIGIA_STORE_PASSWORD);
                       never on the command line
  --console            a control-room console: screens over the central's SQL
                       Server; its monitor stands by and takes over when the
                       central stops renewing its lease
  --demo               seed three areas and 60 devices into an empty store
  --no-monitor         serve the UI and contract without sweeping devices
  --help               show this text

export-bi writes the Power BI files (snapshots_diarios.csv and
snapshots_mensais.csv for every area and for all areas) of the store in
--data-dir (or --store) into --out, once: for a scheduled task. The folder is
created when missing.

migrate-store copies a trial installation's whole embedded store into a SQL
Server database (created beforehand, empty or partly copied): rows keep their
ids, it can be run again to resume, and the rows of every table are counted
on both sides at the end. The password comes as for --store.
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
  mode: z.enum(['central', 'console']),
});

type Parsed = ReturnType<typeof parse>;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      store: { type: 'string' },
      'store-password-file': { type: 'string' },
      console: { type: 'boolean' },
      demo: { type: 'boolean' },
      'no-monitor': { type: 'boolean' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

const appRoot = () => fileURLToPath(new URL('../..', import.meta.url));

function storeOption(values: Parsed['values'], option: 'store' | 'to') {
  const url = values[option];
  if (!url) return undefined;
  return mssqlFromCommandLine(url, {
    passwordFile: values['store-password-file'],
    env: process.env,
    appRoot: appRoot(),
    option: `--${option}`,
  });
}

async function exportCommand(values: Parsed['values']): Promise<number> {
  const dataDir = values['data-dir'];
  const out = values.out;
  if ((!dataDir && !values.store) || !out) {
    console.error(`export-bi needs --data-dir (or --store) and --out\n\n${USAGE}`);
    return 2;
  }
  const store = storeOption(values, 'store');
  const result = await exportOnce({
    appRoot: appRoot(),
    dataDir: dataDir ?? defaultDataDir(),
    out,
    logger: consoleLogger,
    ...(store ? { store } : {}),
  });
  for (const file of result.files) console.log(`${file.path}\t${file.rows} rows`);
  console.log(`exported ${result.files.length} files in ${result.durationMs} ms`);
  return 0;
}

async function migrateCommand(values: Parsed['values']): Promise<number> {
  if (!values.from || !values.to) {
    console.error(`migrate-store needs --from and --to\n\n${USAGE}`);
    return 2;
  }
  const target = storeOption(values, 'to')!;
  console.log(`copying ${values.from} into ${describeConnection(target.connection)}`);
  let last = '';
  const report = await copySqliteToMssql({
    sqliteFile: values.from,
    sqliteMigrations: sqliteMigrationsFolder(appRoot()),
    to: target.connection,
    mssqlMigrations: target.migrationsFolder,
    onProgress: ({ table, copied, total }) => {
      const line = `${table}: ${copied} of ${total} rows`;
      if (process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(last.length)}`);
      else if (copied === total) console.log(line);
      last = line;
    },
  });
  if (process.stdout.isTTY) process.stdout.write('\n');
  for (const t of report.tables) {
    console.log(`${t.table}\t${t.source}\t${t.target}${t.source === t.target ? '' : '\tMISMATCH'}`);
  }
  console.log(
    report.matches ? 'every table has the same rows on both sides' : 'some tables differ: run again to resume',
  );
  return report.matches ? 0 : 1;
}

async function serveCommand(values: Parsed['values']): Promise<number> {
  const options = ServeOptions.safeParse({
    dataDir: values['data-dir'],
    port: values.port,
    host: values.host,
    allowHosts: values['allow-host'],
    demo: values.demo,
    monitor: !values['no-monitor'],
    mode: values.console ? 'console' : 'central',
  });
  if (!options.success) {
    console.error(
      `invalid option: ${options.error.issues.map((i) => `--${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
    return 2;
  }
  const store = storeOption(values, 'store');
  // Listen before starting, so a signal during start-up still ends in a clean stop.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      consoleLogger.info(`${signal} received, stopping`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const running = await startCentral({
    ...options.data,
    appRoot: appRoot(),
    logger: consoleLogger,
    ...(store ? { store } : {}),
  });
  const where = store ? describeConnection(store.connection) : `data: ${options.data.dataDir}`;
  console.log(`Vigia ${options.data.mode} running at ${running.url} (${where})`);

  await stopRequested;
  await running.stop();
  console.log(`Vigia ${options.data.mode} stopped`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command = 'serve'] = parsed.positionals;
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  switch (command) {
    case 'serve':
      return serveCommand(parsed.values);
    case 'export-bi':
      return exportCommand(parsed.values);
    case 'migrate-store':
      return migrateCommand(parsed.values);
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`vigia: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
