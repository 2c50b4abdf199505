import type { EventName, Events } from '../../../src-shared/contract/channels';
import type { PayloadOf } from '../../../src-shared/contract/define';
import type { Auditor } from '../audit';
import type { AuthService } from '../auth/auth-service';
import type { BiExportService } from '../bi/service';
import type { Connection } from '../contract/connection';
import type { EventAudience } from '../contract/server';
import type { Session } from '../contract/session';
import type { Prober } from '../monitor/probers';
import type { Clock } from '../runtime';
import type { SettingsService } from '../settings';
import type { Store } from '../store/port';
import type { WorkflowService } from '../workflows';
import type { CredentialSeal } from '../video/credentials';

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
  readonly auditor: Auditor;
  /** Seals camera passwords; null where this copy has no key (then none can be saved). */
  readonly credentials: CredentialSeal | null;
  readonly emit: <E extends EventName>(
    name: E,
    payload: PayloadOf<Events[E]>,
    audience?: EventAudience<PayloadOf<Events[E]>>,
  ) => void;
  /** Applies a change of a user to its open connections at once (see ContractServer.refreshSessions). */
  readonly refreshSessions: (userId: number, next: (session: Session) => Session | null, except?: Connection) => void;
}
