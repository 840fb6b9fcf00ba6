import { randomBytes } from 'node:crypto';
import type { ServiceIdentity } from './arn.js';
import { OPERATIONS } from './handlers/operations.js';
import type { Outcome, Quotas, ServiceContext } from './handlers/service-context.js';
import { decodeInput } from './model/validate.js';
import type { OperationName } from './model/shapes.generated.js';
import { Journal } from './store/journal.js';
import { LineageState } from './store/lineage-state.js';
import type { Mutation } from './store/records.js';

/**
 * The service without its transport: validates a request, runs its handler,
 * applies the resulting mutations to memory and, when durable, journals them.
 * Handlers run synchronously, so each request sees and changes the state
 * atomically; the answer waits for the journal's sync.
 */
export class ServiceEngine {
  readonly state = new LineageState();
  readonly context: ServiceContext;
  private journal: Journal | undefined;
  private lastTime = 0;
  /** The list-lag fault (milliseconds), read on every List* and QueryLineage; the server sets it from its faults. */
  listLagMs: () => number = () => 0;

  constructor(identity: ServiceIdentity, quotas: Quotas) {
    this.context = {
      region: identity.region,
      accountId: identity.accountId,
      state: this.state,
      quotas,
      now: () => {
        this.lastTime = Math.max(Date.now(), this.lastTime + 1);
        return this.lastTime;
      },
      newId: () => randomBytes(16).toString('hex'),
      listCutoff: () => {
        const lag = this.listLagMs();
        return lag > 0 ? Date.now() - lag : undefined;
      },
    };
  }

  async openJournal(dir: string): Promise<void> {
    this.journal = await Journal.open(dir, this.state);
    for (const entity of this.state.entities.values()) this.lastTime = Math.max(this.lastTime, entity.modifiedAt);
  }

  /** Runs an operation; returns the output once its changes are durable. */
  async execute(operation: OperationName, body: unknown): Promise<object> {
    const request = decodeInput(operation, body);
    // decodeInput checked the request against this operation's input shape.
    const outcome: Outcome = OPERATIONS[operation](this.context, request as never);
    if (outcome.mutations !== undefined && outcome.mutations.length > 0) await this.commit(outcome.mutations);
    return outcome.output;
  }

  async commit(mutations: readonly Mutation[]): Promise<void> {
    for (const mutation of mutations) this.state.apply(mutation);
    if (this.journal !== undefined) await this.journal.append(mutations);
  }

  async close(): Promise<void> {
    await this.journal?.close();
    this.journal = undefined;
  }
}
