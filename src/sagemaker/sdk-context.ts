import type { AccountBook } from './account-region.js';
import type { Sender } from './sender.js';

/** What the adapter's parts share: the sender, and the account they learn from the ARNs they see. */
export interface SdkContext {
  readonly sender: Sender;
  readonly account: AccountBook;
}
