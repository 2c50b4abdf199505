import { expect } from 'vitest';
import type { AreaFields } from '../../src-shared/domain/area';
import type { DeviceFields } from '../../src-shared/domain/device';
import { SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import type { auditsFor } from '../helpers/audit';
import { DomainError } from '../../src-main/core/errors';
import type { Store, UserFields } from '../../src-main/core/store/port';
import type { ManualClock } from '../helpers/clock';

export interface StoreHarness {
  readonly store: Store;
  /** Closes and opens the same database again, to prove data outlives the connection. */
  reopen(): Promise<Store>;
  /** A second, independent connection to the same database (another process, another console). */
  second?(): Promise<Store>;
  dispose(): Promise<void>;
}

export type StoreFactory = (clock: ManualClock) => Promise<StoreHarness>;

/** What every part of the suite gets: the store of the current test and its clock. */
export interface SuiteContext {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly harness: StoreHarness;
  /** Audit entries as core builds them, by a test user. */
  readonly audits: ReturnType<typeof auditsFor>;
}

export const ita: AreaFields = { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' };
export const snt: AreaFields = { code: 'SNT', name: 'Santos', timeZone: 'America/Sao_Paulo' };

export function device(areaId: number, overrides: Partial<DeviceFields> = {}): DeviceFields {
  return {
    name: 'CAM-01',
    type: 'camera',
    context: 'normal',
    host: '10.0.0.1',
    areaId,
    location: '',
    notes: '',
    ...overrides,
  };
}

export const viewDevices = {
  ...Object.fromEntries(SCREENS.map((screen) => [screen, { view: false, edit: false }])),
  devices: { view: true, edit: false },
} as PermissionGrid;

export function operator(over: Partial<UserFields> = {}): UserFields {
  return {
    username: 'operador',
    displayName: 'Operador da sala',
    isAdmin: false,
    active: true,
    permissions: viewDevices,
    allowedAreaIds: null,
    ...over,
  };
}

export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}
