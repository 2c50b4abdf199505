import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { consoleLogger } from '../core/runtime';
import { defaultDataDir } from '../core/paths';
import { copySqliteToMssql } from '../core/store/copy-store';
import { describeConnection } from '../core/store/mssql/config';
import { CAMERA_KEY_FILE, CredentialSeal, keyFromFile, resealer, serverCameraKey } from '../core/video/credentials';
import { exportOnce, sqliteMigrationsFolder } from './runner';
import { mssqlFromCommandLine } from './store-option';
import { USAGE } from './usage';
import { agentCommand } from './agent-command';
import { serveCommand } from './serve-command';

export type Parsed = ReturnType<typeof parse>;

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
      agent: { type: 'boolean' },
      central: { type: 'string' },
      area: { type: 'string' },
      'key-file': { type: 'string' },
      'central-fingerprint': { type: 'string' },
      'plain-http': { type: 'boolean' },
      'agent-listen': { type: 'string' },
      'agent-cert': { type: 'string' },
      'agent-cert-key': { type: 'string' },
      'agent-public-url': { type: 'string' },
      'agent-plain-http': { type: 'boolean' },
      'no-agent-listener': { type: 'boolean' },
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
  // Camera passwords are sealed by the embedded store's key file; SQL Server's key is derived from its login.
  const embeddedKey = join(dirname(values.from), CAMERA_KEY_FILE);
  const reseal = existsSync(embeddedKey)
    ? resealer(new CredentialSeal(keyFromFile(embeddedKey)), new CredentialSeal(serverCameraKey(target.connection)))
    : undefined;
  let last = '';
  const report = await copySqliteToMssql({
    sqliteFile: values.from,
    sqliteMigrations: sqliteMigrationsFolder(appRoot()),
    to: target.connection,
    mssqlMigrations: target.migrationsFolder,
    ...(reseal ? { reseal } : {}),
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
  if (report.cameraPasswords.resealed > 0) {
    console.log(`${report.cameraPasswords.resealed} camera passwords sealed again for the SQL Server store`);
  }
  if (report.cameraPasswords.left > 0) {
    console.log(
      `${report.cameraPasswords.left} camera passwords could not be opened here (no ${CAMERA_KEY_FILE} beside ${values.from}, or another key): type them again on each camera's page`,
    );
  }
  console.log(
    report.matches ? 'every table has the same rows on both sides' : 'some tables differ: run again to resume',
  );
  return report.matches ? 0 : 1;
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
      return parsed.values.agent
        ? agentCommand(parsed.values, appRoot())
        : serveCommand(parsed.values, appRoot(), (v) => storeOption(v, 'store'));
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
