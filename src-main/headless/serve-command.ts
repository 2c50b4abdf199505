import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultDataDir, STORE_FILE } from '../core/paths';
import { consoleLogger, systemClock } from '../core/runtime';
import { readInstallation, writeInstallation } from '../core/setup/installation';
import type { Installation } from '../core/setup/installation';
import { describeConnection, parseMssqlUrl } from '../core/store/mssql/config';
import type { MssqlStoreConfig } from '../core/store/open';
import { agentListenOptions } from '../core/agent-sync/listen-options';
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
  const data = options.data;
  const stopping = stopRequested(consoleLogger);
  const explicit = Boolean(values.store || values.console || values.demo);
  let installation = explicit ? null : readInstallation(data.dataDir);
  let port = data.port;
  if (!explicit && !installation && !existsSync(join(data.dataDir, STORE_FILE))) {
    const wizard = await startSetupWizard({
      appRoot,
      dataDir: data.dataDir,
      host: data.host,
      port,
      allowHosts: data.allowHosts,
      logger: consoleLogger,
      clock: systemClock,
    });
    console.log(`Vigia first-run wizard running at ${wizard.url} (data: ${data.dataDir})`);
    const chosen = await Promise.race([wizard.saved, stopping.then(() => null)]);
    await wizard.stop();
    if (!chosen) return 0;
    installation = chosen;
    // The screen that saved it reconnects to the same address.
    port = Number(new URL(wizard.url).port);
  }
  // A copy the wizard configured may be moved to another mode from Settings: it then restarts here, on this address.
  for (;;) {
    const next = await runMode(installation, explicit ? null : data.dataDir);
    if (!next) return 0;
    installation = next;
    console.log(`Vigia changing to ${next.mode} (asked from Settings)`);
  }

  async function runMode(current: Installation | null, configFolder: string | null): Promise<Installation | null> {
    if (current?.mode === 'agent') {
      await runAgent(
        {
          centralUrl: current.central,
          areaCode: current.area,
          key: current.key,
          fingerprint: current.fingerprint || null,
          plainHttp: current.central.toLowerCase().startsWith('http://'),
          dataDir: data.dataDir,
          host: data.host,
          port,
        },
        appRoot,
        stopping,
      );
      return null;
    }
    let announce: (installation: Installation) => void = () => undefined;
    const changed = new Promise<Installation>((resolve) => (announce = resolve));
    const changeInstallation = configFolder
      ? (next: Installation) => {
          writeInstallation(configFolder, next);
          // Answer the screen first, then restart in the new mode.
          setTimeout(() => announce(next), 200);
          return Promise.resolve();
        }
      : undefined;
    const store = current ? installedStore(current, appRoot) : storeFromCommandLine(values);
    const mode = current?.mode ?? data.mode;
    const running = await startCentral({
      ...data,
      port,
      mode,
      appRoot,
      logger: consoleLogger,
      ...(store ? { store } : {}),
      agentSync: mode === 'central' ? agentSyncOf(values, data.dataDir) : null,
      ...(changeInstallation ? { changeInstallation } : {}),
    });
    // A restart in another mode comes back on this address, the one the screens know.
    port = Number(new URL(running.url).port);
    const where = store ? describeConnection(store.connection) : `data: ${data.dataDir}`;
    console.log(`Vigia ${mode} running at ${running.url} (${where})`);
    const next = await Promise.race([stopping.then(() => null), changed]);
    await running.stop();
    console.log(`Vigia ${mode} stopped`);
    return next;
  }
}

function agentSyncOf(values: Parsed['values'], dataDir: string) {
  return agentListenOptions(
    {
      listen: values['agent-listen'],
      off: values['no-agent-listener'],
      plainHttp: values['agent-plain-http'],
      certFile: values['agent-cert'],
      keyFile: values['agent-cert-key'],
      publicUrl: values['agent-public-url'],
    },
    dataDir,
  );
}

function installedStore(installation: Installation, appRoot: string): MssqlStoreConfig | undefined {
  if (installation.mode === 'agent' || installation.store === 'sqlite') return undefined;
  return {
    dialect: 'mssql',
    connection: parseMssqlUrl(installation.url, installation.password),
    migrationsFolder: mssqlMigrationsFolder(appRoot),
  };
}
