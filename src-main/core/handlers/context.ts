import type { EventName, Events } from '../../../src-shared/contract/channels';
import type { PayloadOf } from '../../../src-shared/contract/define';
import type { AuthService } from '../auth/auth-service';
import type { EventAudience } from '../contract/server';
import type { Prober } from '../monitor/probers';
import type { WorkflowService } from '../workflows';
import type { BiExportService } from '../bi/service';
import type { Auditor } from './audit';
import type { SettingsService } from '../settings';
import type { Clock } from '../runtime';
import type { Store } from '../store/port';

export interface HandlerContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly settings: SettingsService;
  readonly prober: Prober;
  /** The zone local days are cut in when no area says otherwise: the operating system's. */
  readonly defaultTimeZone: string;
  /** The source name of this central's own observations. */
  readonly source: string;
  readonly auth: AuthService;
  readonly workflows: WorkflowService;
  readonly exports: BiExportService;
  readonly audit: Auditor;
  readonly emit: <E extends EventName>(
    name: E,
    payload: PayloadOf<Events[E]>,
    audience?: EventAudience<PayloadOf<Events[E]>>,
  ) => void;
}
