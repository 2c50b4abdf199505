import { watchState } from '../../../src-shared/domain/alarms';
import { channels } from '../../../src-shared/contract/channels';
import type { ChannelName } from '../../../src-shared/contract/channels';
import { startAgentInstance } from '../agent/start';
import { Connection } from '../contract/connection';
import { ContractServer } from '../contract/server';
import type { HandlerMap } from '../contract/server';
import { builtInAdministrator } from '../contract/session';
import { DomainError } from '../errors';
import { startInstance } from '../instance';
import type { Instance } from '../instance';
import type { Clock, Logger } from '../runtime';
import { systemClock } from '../runtime';
import type { Installation } from '../setup/installation';
import { wizardHandlers } from '../setup/wizard-handlers';
import type { CoreLaunch, CoreReady, FromCore, MessagePortLike, ToCore } from './protocol';

interface Running {
  readonly server: ContractServer;
  readonly instance: Instance | null;
  stop(): Promise<void>;
}

/**
 * Core as a process of its own: launched by main with what to run, it
 * answers main's forwarded calls on one `Connection` per window, pushes each
 * window its events, and tells main the colour of the desk for the tray.
 * Sessions live here; a crash of this process ends them, and the windows
 * take them back with their resume tokens once main has started it again.
 */
export class CoreHost {
  private running: Running | null = null;
  private readonly windows = new Map<number, { connection: Connection; detach: () => void }>();
  private readonly persisting = new Map<number, (error: string | null) => void>();
  private nextPersist = 1;

  constructor(
    private readonly port: MessagePortLike<ToCore, FromCore>,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
    /** Called once core has stopped cleanly: the process exits. */
    private readonly onStopped: () => void = () => undefined,
  ) {
    port.onMessage((message) => {
      this.receive(message).catch((error: unknown) => logger.error(`core: ${message.kind} failed`, error));
    });
  }

  private async receive(message: ToCore): Promise<void> {
    switch (message.kind) {
      case 'launch':
        return this.launch(message.launch);
      case 'connect':
        return this.connect(message.connection);
      case 'disconnect':
        this.windows.get(message.connection)?.detach();
        this.windows.delete(message.connection);
        return;
      case 'call':
        return this.call(message);
      case 'mute':
        this.running?.server.emit('alarms.muteRequested', { muted: message.muted });
        return;
      case 'export-bi':
        return this.exportBi(message.id, message.folder);
      case 'persisted':
        this.persisting.get(message.id)?.(message.error);
        this.persisting.delete(message.id);
        return;
      case 'stop':
        await this.running?.stop();
        this.running = null;
        this.port.post({ kind: 'stopped' });
        this.onStopped();
        return;
    }
  }

  private async launch(launch: CoreLaunch): Promise<void> {
    if (this.running) throw new Error('core is already running');
    try {
      const { running, ready } = await this.start(launch);
      this.running = running;
      for (const id of this.windows.keys()) this.attach(id);
      this.port.post({ kind: 'ready', ...ready });
    } catch (error) {
      this.logger.error('core: could not start', error);
      this.port.post({ kind: 'launch-failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async start(launch: CoreLaunch): Promise<{ running: Running; ready: CoreReady }> {
    const none = { monitoring: false, exportsFolder: null, statusUrl: null, setup: false };
    if (launch.kind === 'setup') {
      const server = this.serverOf(wizardHandlers((installation) => this.persist(installation)));
      return { running: { server, instance: null, stop: () => Promise.resolve() }, ready: { ...none, setup: true } };
    }
    if (launch.kind === 'agent') {
      const { statusPort, cameraKey, ...options } = launch;
      const agent = await startAgentInstance({
        ...options,
        ...(cameraKey ? { cameraKey: Buffer.from(cameraKey, 'base64') } : {}),
        plainHttp: launch.centralUrl.toLowerCase().startsWith('http://'),
        logger: this.logger,
        statusPage: { host: '127.0.0.1', port: statusPort },
      });
      // A field site's window is its status page: the contract has nothing to answer there.
      const server = this.serverOf(refuseAll('this copy is a field agent: its screen is the status page'));
      return {
        running: { server, instance: null, stop: () => agent.stop() },
        ready: { ...none, statusUrl: agent.statusUrl },
      };
    }
    const instance = await startInstance({
      mode: launch.mode,
      store: launch.store,
      logger: this.logger,
      clock: this.clock,
      exportsFolder: launch.exportsFolder,
      ...(launch.exportWorkerFile ? { exportWorkerFile: launch.exportWorkerFile } : {}),
      ...(launch.agentSync ? { agentSync: launch.agentSync } : {}),
      ...(launch.cameraKey ? { embeddedCameraKey: () => Buffer.from(launch.cameraKey!, 'base64') } : {}),
      changeInstallation: (installation) => this.persist(installation),
    });
    this.followTheDesk(instance);
    return {
      running: { server: instance.server, instance, stop: () => instance.stop() },
      ready: { ...none, monitoring: instance.monitor !== null, exportsFolder: instance.exports.folder() },
    };
  }

  private serverOf(handlers: HandlerMap): ContractServer {
    return new ContractServer(handlers, { logger: this.logger, clock: this.clock });
  }

  /** Main keeps the configuration (secrets through the OS), then launches core again in the new mode. */
  private persist(installation: Installation): Promise<void> {
    const id = this.nextPersist++;
    return new Promise((resolve, reject) => {
      this.persisting.set(id, (error) => (error ? reject(new Error(error)) : resolve()));
      this.port.post({ kind: 'persist', id, installation });
    });
  }

  private connect(id: number): void {
    if (this.windows.has(id)) return;
    this.windows.set(id, { connection: new Connection(null, this.clock.now()), detach: () => undefined });
    this.attach(id);
  }

  private attach(id: number): void {
    const window = this.windows.get(id);
    if (!window || !this.running) return;
    window.detach();
    window.detach = this.running.server.attach({
      connection: window.connection,
      send: (name, payload) => this.port.post({ kind: 'event', connection: id, name, payload }),
    });
  }

  private async call(message: Extract<ToCore, { kind: 'call' }>): Promise<void> {
    const window = this.windows.get(message.connection);
    const result =
      window && this.running
        ? await this.running.server.dispatch(window.connection, message.channel, message.input)
        : { ok: false as const, error: { kind: 'internal' as const, message: 'Vigia is still starting' } };
    this.port.post({ kind: 'result', id: message.id, result });
  }

  private async exportBi(id: number, folder: string): Promise<void> {
    const instance = this.running?.instance;
    try {
      if (!instance) throw new Error('this copy keeps no BI files');
      const value = await instance.exports.run(folder);
      this.port.post({ kind: 'result', id, result: { ok: true, value } });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.port.post({ kind: 'result', id, result: { ok: false, error: { kind: 'internal', message: text } } });
    }
  }

  /** The tray listens like a screen that sees every area. */
  private followTheDesk(instance: Instance): void {
    const tell = async () => {
      const desk = await instance.store.listAlarms({
        desk: { keepUnacknowledged: instance.settings.alarms().keepUnacknowledged },
        limit: 1000,
      });
      this.port.post({ kind: 'watch', state: watchState(desk) });
    };
    const refresh = () => void tell().catch((error: unknown) => this.logger.error('tray update failed', error));
    instance.server.attach({
      connection: new Connection(builtInAdministrator(), this.clock.now()),
      send: (name) => {
        if (name === 'alarms.changed') refresh();
      },
    });
    refresh();
  }
}

function refuseAll(reason: string): HandlerMap {
  const refuse = () => Promise.reject(new DomainError('forbidden', reason));
  return Object.fromEntries(
    (Object.keys(channels) as ChannelName[]).map((name) => [name, refuse]),
  ) as unknown as HandlerMap;
}
