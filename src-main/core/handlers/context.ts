import type { EventName, Events } from '../../../src-shared/contract/channels';
import type { PayloadOf } from '../../../src-shared/contract/define';
import type { Store } from '../store/port';

export interface HandlerContext {
  readonly store: Store;
  readonly emit: <E extends EventName>(name: E, payload: PayloadOf<Events[E]>) => void;
}
