import { expect } from 'vitest';
import { ContractCallError } from '../../src-shared/contract/errors';
import type { ContractError } from '../../src-shared/contract/errors';

/** The contract error a call that must fail failed with (the test fails if it succeeded). */
export async function failure(
  call: Promise<unknown>,
): Promise<ContractError & { fields?: Readonly<Record<string, { key: string }>> }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ContractCallError);
  return (error as ContractCallError).error;
}
