import type { AccountBook } from './account-region.js';
import type { RateClock } from './adaptive-rate.js';
import type { Sender } from './sender.js';

/** What the adapter's parts share: the sender, and the account they learn from the ARNs they see. */
export interface SdkContext {
  readonly sender: Sender;
  readonly account: AccountBook;
  /**
   * List* and QueryLineage read indexes that lag behind writes. A look-up that
   * a write SageMaker refused says must succeed (the holder of a name, an
   * existing association) is repeated until it does, for at most `waitMs`.
   */
  readonly settle: { readonly waitMs: number; readonly clock: RateClock };
}
