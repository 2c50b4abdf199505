import { describe, expect, it } from 'vitest';
import { refuseWorkflowAction } from '../../src-shared/domain/workflow';
import type { WorkflowAction, WorkflowFacts } from '../../src-shared/domain/workflow';

const facts = (over: Partial<WorkflowFacts> = {}): WorkflowFacts => ({
  status: 'OFFLINE',
  hasOpenCase: false,
  hasPendingRequest: false,
  actorIsAdmin: false,
  ...over,
});

const cases: Array<[WorkflowAction, Partial<WorkflowFacts>, ReturnType<typeof refuseWorkflowAction>]> = [
  // Initial maintenance report
  ['maintenance.open', { status: 'OFFLINE' }, null],
  ['maintenance.open', { status: 'ONLINE' }, null],
  ['maintenance.open', { status: 'MAINTENANCE', hasOpenCase: true }, 'case_already_open'],
  ['maintenance.open', { status: 'SHUTDOWN' }, 'device_shut_down'],
  ['maintenance.open', { status: 'OFFLINE', hasOpenCase: true }, 'case_already_open'],
  // Final maintenance report
  ['maintenance.close', { status: 'MAINTENANCE', hasOpenCase: true }, null],
  ['maintenance.close', { status: 'OFFLINE' }, 'no_open_case'],
  ['maintenance.close', { status: 'SHUTDOWN' }, 'no_open_case'],
  // Shutdown request
  ['shutdown.request', { status: 'ONLINE' }, null],
  ['shutdown.request', { status: 'OFFLINE' }, null],
  ['shutdown.request', { status: 'OFFLINE', hasPendingRequest: true }, 'request_pending'],
  ['shutdown.request', { status: 'SHUTDOWN' }, 'device_shut_down'],
  ['shutdown.request', { status: 'MAINTENANCE', hasOpenCase: true }, 'device_in_maintenance'],
  // Approval
  ['shutdown.approve', { requestStatus: 'pending', actorIsAdmin: true }, null],
  ['shutdown.approve', { requestStatus: 'pending', actorIsAdmin: false }, 'admin_only'],
  ['shutdown.approve', { requestStatus: 'approved', actorIsAdmin: true, status: 'SHUTDOWN' }, 'request_not_pending'],
  ['shutdown.approve', { requestStatus: 'rejected', actorIsAdmin: true }, 'request_not_pending'],
  [
    'shutdown.approve',
    { requestStatus: 'pending', actorIsAdmin: true, status: 'MAINTENANCE' },
    'device_in_maintenance',
  ],
  // Rejection
  ['shutdown.reject', { requestStatus: 'pending', actorIsAdmin: true }, null],
  ['shutdown.reject', { requestStatus: 'pending', actorIsAdmin: false }, 'admin_only'],
  ['shutdown.reject', { requestStatus: 'approved', actorIsAdmin: true }, 'request_not_pending'],
  // Re-enabling
  ['shutdown.reenable', { requestStatus: 'approved', status: 'SHUTDOWN', actorIsAdmin: true }, null],
  ['shutdown.reenable', { requestStatus: 'approved', status: 'SHUTDOWN', actorIsAdmin: false }, 'admin_only'],
  ['shutdown.reenable', { requestStatus: 'pending', status: 'OFFLINE', actorIsAdmin: true }, 'request_not_approved'],
  ['shutdown.reenable', { requestStatus: 'reenabled', status: 'OFFLINE', actorIsAdmin: true }, 'request_not_approved'],
];

describe('workflow transitions', () => {
  it.each(cases)('%s with %o → %s', (action, over, expected) => {
    expect(refuseWorkflowAction(action, facts(over))).toBe(expected);
  });
});
