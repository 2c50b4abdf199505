import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_AGENT_STATUS_PORT, startAgentInstance } from '../core/agent/start';
import { defaultDataDir } from '../core/paths';
import { consoleLogger } from '../core/runtime';
import { agentMigrationsFolder, readAgentKey } from './agent-options';
import type { Parsed } from './cli';
import { stopRequested } from './signals';

function version(appRoot: string): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** `vigia serve --agent …`: one area's devices pinged here, synced with the central. */
export async function agentCommand(values: Parsed['values'], appRoot: string): Promise<number> {
  if (!values.central || !values.area) {
    console.error('agent mode needs --central <https://host:port> and --area <CODE> (see --help)');
    return 2;
  }
  const port = values.port === undefined ? DEFAULT_AGENT_STATUS_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid option: --port ${values.port}`);
    return 2;
  }
  return runAgent(
    {
      centralUrl: values.central,
      areaCode: values.area,
      key: readAgentKey(values['key-file']),
      fingerprint: values['central-fingerprint'] ?? null,
      plainHttp: values['plain-http'] ?? false,
      dataDir: values['data-dir'] ?? defaultDataDir(),
      host: values.host ?? '127.0.0.1',
      port,
    },
    appRoot,
    stopRequested(consoleLogger),
  );
}

/** Runs an agent until `stopping` resolves: from the command line, or as the first-run wizard configured it. */
export async function runAgent(
  options: {
    centralUrl: string;
    areaCode: string;
    key: string;
    fingerprint: string | null;
    plainHttp: boolean;
    dataDir: string;
    host: string;
    port: number;
  },
  appRoot: string,
  stopping: Promise<void>,
): Promise<number> {
  const area = options.areaCode.toUpperCase();
  const agent = await startAgentInstance({
    centralUrl: options.centralUrl,
    areaCode: area,
    key: options.key,
    fingerprint: options.fingerprint,
    plainHttp: options.plainHttp,
    dataDir: options.dataDir,
    migrationsFolder: agentMigrationsFolder(appRoot),
    logger: consoleLogger,
    version: version(appRoot),
    statusPage: { host: options.host, port: options.port },
  });
  console.log(`Vigia agent of ${area} running, status at ${agent.statusUrl} (central ${options.centralUrl})`);
  await stopping;
  await agent.stop();
  console.log('Vigia agent stopped');
  return 0;
}
