/** Calls the service received: every request, throttled and faulted ones included, by operation. */
export interface CallCounters {
  readonly total: number;
  readonly throttled: number;
  readonly faulted: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

export class CallCounter {
  private total = 0;
  private throttled = 0;
  private faulted = 0;
  private byOperation = new Map<string, number>();

  count(operation: string): void {
    this.total += 1;
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  }

  countThrottled(): void {
    this.throttled += 1;
  }

  countFaulted(): void {
    this.faulted += 1;
  }

  snapshot(): CallCounters {
    return { total: this.total, throttled: this.throttled, faulted: this.faulted, byOperation: Object.fromEntries([...this.byOperation].sort(([a], [b]) => (a < b ? -1 : 1))) };
  }

  reset(): void {
    this.total = 0;
    this.throttled = 0;
    this.faulted = 0;
    this.byOperation = new Map();
  }
}

const WRITES = /^(Create|Update|Delete)/;

/** Calls that change lineage: Create*, Update*, Delete*, AddAssociation, DeleteAssociation, AddTags, DeleteTags. */
export function writeCallCount(counters: CallCounters): number {
  let sum = 0;
  for (const [operation, count] of Object.entries(counters.byOperation)) {
    if (WRITES.test(operation) || operation === 'AddAssociation' || operation === 'AddTags') sum += count;
  }
  return sum;
}
