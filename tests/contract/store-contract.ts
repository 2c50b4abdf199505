import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/clock';
import { accountsContract } from './accounts.contract';
import { agentsContract } from './agents.contract';
import { alarmsContract } from './alarms.contract';
import { catalogContract, operationsContract } from './catalog.contract';
import type { StoreFactory, SuiteContext } from './harness';
import { auditsFor } from '../helpers/audit';
import { device, ita } from './harness';
import { monitorContract } from './monitor.contract';
import { workflowsContract } from './workflows.contract';

export type { StoreFactory, StoreHarness } from './harness';

/**
 * What every Store adapter must do, whatever its dialect: every method of
 * every port, through the port only. Run it from a `*.test.ts` per adapter;
 * SQL Server joins when VIGIA_TEST_MSSQL_URL is set.
 */
export function storeContract(adapterName: string, open: StoreFactory, skipBecause?: string): void {
  describe.skipIf(skipBecause !== undefined)(
    `Store contract: ${adapterName}${skipBecause ? ` (skipped: ${skipBecause})` : ''}`,
    () => {
      let context: SuiteContext;
      const get = () => context;

      beforeEach(async () => {
        const clock = new ManualClock();
        const harness = await open(clock);
        context = {
          clock,
          harness,
          get store() {
            return harness.store;
          },
          audits: auditsFor(harness.store, clock),
        };
      });
      afterEach(async () => {
        await context.harness.dispose();
      });

      describe('catalog', () => catalogContract(get));
      describe('accounts', () => accountsContract(get));
      describe('workflows', () => workflowsContract(get));
      describe('monitor and timelines', () => monitorContract(get));
      describe('operations', () => operationsContract(get));
      describe('agents', () => agentsContract(get));
      describe('alarms', () => alarmsContract(get));

      it('keeps everything after the connection is closed and opened again', async () => {
        const { store, audits } = context;
        const area = await store.createArea(ita, audits.area());
        const cam = await store.createDevice(device(area.id, { name: 'Câmera — Pátio "norte"' }), audits.device());
        await store.setSetting('theme', 'dark');
        const reopened = await context.harness.reopen();
        expect(await reopened.getDevice(cam.id)).toEqual(cam);
        expect(await reopened.getSetting('theme')).toBe('dark');
      });
    },
  );
}
