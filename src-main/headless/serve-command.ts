import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultDataDir, STORE_FILE } from '../core/paths';
import { consoleLogger, systemClock } from '../core/runtime';
import { readInstallation } from '../core/setup/installation';
import type { Installation } from '../core/setup/installation';
import { describeConnection, parseMssqlUrl } from '../core/store/mssql/config';
import type { MssqlStoreConfig } from '../core/store/open';
import { agentListenOptions } from './agent-options';
import { runAgent } from './agent-command';
import type { Parsed } from './cli';
import { startCentral } from './runner';
import { startSetupWizard } from './setup-server';
import { stopRequested } from './signals';
import { mssqlMigrationsFolder } from './store-option';
import { DEFAULT_PORT } from './usage';

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

/**
 * `vigia serve`: the mode the command line names; else the one the
 * first-run wizard saved in the data folder; else (a new folder with no
 * store) the wizard itself, on the same address, then the mode it saved.
 */
export async function serveCommand(
  values: Parsed['values'],
  appRoot: string,
  storeFromCommandLine: (values: Parsed['values']) => MssqlStoreConfig | undefined,
): Promise<number> {
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
  const stopping = stopRequested(consoleLogger);
  const explicit = Boolean(values.store || values.console || values.demo);
  let installation = explicit ? null : readInstallation(options.data.dataDir);
  let port = options.data.port;
  if (!explicit && !installation && !existsSync(join(options.data.dataDir, STORE_FILE))) {
    const wizard = await startSetupWizard({
      appRoot,
      dataDir: options.data.dataDir,
      host: options.data.host,
      port,
      allowHosts: options.data.allowHosts,
      logger: consoleLogger,
      clock: systemClock,
    });
    console.log(`Vigia first-run wizard running at ${wizard.url} (data: ${options.data.dataDir})`);
    const chosen = await Promise.race([wizard.saved, stopping.then(() => null)]);
    await wizard.stop();
    if (!chosen) return 0;
    installation = chosen;
    // The screen that saved it reconnects to the same address.
    port = Number(new URL(wizard.url).port);
  }
  if (installation?.mode === 'agent') {
    return runAgent(
      {
        centralUrl: installation.central,
        areaCode: installation.area,
        key: installation.key,
        fingerprint: installation.fingerprint || null,
        plainHttp: installation.central.toLowerCase().startsWith('http://'),
        dataDir: options.data.dataDir,
        host: options.data.host,
        port,
      },
      appRoot,
      stopping,
    );
  }
  const store = installation ? installedStore(installation, appRoot) : storeFromCommandLine(values);
  const mode = installation?.mode ?? options.data.mode;
  const agentSync =
    mode === 'central'
      ? agentListenOptions(
          {
            listen: values['agent-listen'],
            off: values['no-agent-listener'],
            plainHttp: values['agent-plain-http'],
            certFile: values['agent-cert'],
            keyFile: values['agent-cert-key'],
            publicUrl: values['agent-public-url'],
          },
          options.data.dataDir,
        )
      : null;
  const running = await startCentral({
    ...options.data,
    port,
    mode,
    appRoot,
    logger: consoleLogger,
    ...(store ? { store } : {}),
    agentSync,
  });
  const where = store ? describeConnection(store.connection) : `data: ${options.data.dataDir}`;
  console.log(`Vigia ${mode} running at ${running.url} (${where})`);

  await stopping;
  await running.stop();
  console.log(`Vigia ${mode} stopped`);
  return 0;
}

function installedStore(installation: Installation, appRoot: string): MssqlStoreConfig | undefined {
  if (installation.mode === 'agent' || installation.store === 'sqlite') return undefined;
  return {
    dialect: 'mssql',
    connection: parseMssqlUrl(installation.url, installation.password),
    migrationsFolder: mssqlMigrationsFolder(appRoot),
  };
}
