import { parentPort, workerData } from 'node:worker_threads';
import type { BiExportSettings, ExportResult } from '../../../src-shared/domain/bi';
import type { FieldError } from '../../../src-shared/domain/validation';
import { DomainError } from '../errors';
import { openStore } from '../store/open';
import type { StoreConfig } from '../store/open';
import { exportBi } from './export';

/** What the central asks of the worker. */
export interface ExportRequest {
  readonly store: StoreConfig;
  readonly folder: string;
  readonly settings: BiExportSettings;
  readonly targetPercent: number;
  /** The central's clock at the request: the files cover up to this instant. */
  readonly now: number;
}

export type ExportReply =
  | { readonly ok: true; readonly result: ExportResult }
  | {
      readonly ok: false;
      readonly kind: DomainError['kind'] | 'internal';
      readonly message: string;
      readonly fields: Readonly<Record<string, FieldError>>;
    };

/**
 * The BI export in a thread of its own, with its own read-only connection to
 * the store: a month of thousands of devices takes seconds of CPU, and none of
 * it on the thread that runs the sweeps and answers the screens.
 */
async function main(request: ExportRequest): Promise<ExportReply> {
  const startedAt = Date.now();
  const clock = { now: () => request.now + (Date.now() - startedAt) };
  const store = await openStore(request.store, clock, { readOnly: true });
  try {
    return { ok: true, result: await exportBi(store, clock, request) };
  } catch (error) {
    if (error instanceof DomainError)
      return { ok: false, kind: error.kind, message: error.message, fields: error.fields };
    return { ok: false, kind: 'internal', message: error instanceof Error ? error.message : String(error), fields: {} };
  } finally {
    await store.close();
  }
}

if (parentPort) {
  const port = parentPort;
  void main(workerData as ExportRequest).then((reply) => port.postMessage(reply));
}
