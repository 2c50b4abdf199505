import { Worker } from 'node:worker_threads';
import type { ExportResult } from '../../../src-shared/domain/bi';
import { DomainError } from '../errors';
import type { ExportReply, ExportRequest } from './export-worker';

/** Runs one export in the worker built from export-worker.ts; its errors come back as they were thrown. */
export function exportInWorker(workerFile: string, request: ExportRequest): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: request });
    let settled = false;
    worker.once('message', (reply: ExportReply) => {
      settled = true;
      if (reply.ok) resolve(reply.result);
      else if (reply.kind === 'internal') reject(new Error(`BI export failed: ${reply.message}`));
      else reject(new DomainError(reply.kind, reply.message, reply.fields));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the BI export worker stopped with code ${code} before answering`));
    });
  });
}
