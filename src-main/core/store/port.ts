import type { AccountStore, AuditStore } from './ports/accounts';
import type { AlarmStore } from './ports/alarms';
import type { CameraStore } from './ports/cameras';
import type { AgentStore } from './ports/agents';
import type { CatalogStore, SettingsStore } from './ports/catalog';
import type { MonitorStore } from './ports/monitor';
import type { OperationsStore } from './ports/operations';
import type { TimelineStore } from './ports/timelines';
import type { WorkflowStore } from './ports/workflows';

export type * from './ports/accounts';
export type * from './ports/alarms';
export type * from './ports/cameras';
export type * from './ports/agents';
export type * from './ports/catalog';
export type * from './ports/monitor';
export type * from './ports/operations';
export type * from './ports/timelines';
export type * from './ports/workflows';

/**
 * The persistence port: one port per concern (ports/*.ts), composed here.
 * Core code talks only to these; each dialect has one adapter that passes
 * tests/contract/. Every method is async because the SQL Server driver is;
 * the SQLite adapter simply resolves at once.
 *
 * Errors: a duplicate throws a `conflict` DomainError naming the field, a
 * missing row a `not_found` one, so callers never parse driver messages.
 */
export interface Store
  extends
    CatalogStore,
    SettingsStore,
    MonitorStore,
    TimelineStore,
    WorkflowStore,
    AccountStore,
    AuditStore,
    AgentStore,
    OperationsStore,
    AlarmStore,
    CameraStore {
  close(): Promise<void>;
}
