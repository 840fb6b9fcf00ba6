import type { AssociationRecord, EntityRecord } from '../store/records.js';
import type { LineageState } from '../store/lineage-state.js';

export type TraversalDirection = 'Both' | 'Ascendants' | 'Descendants';


/**
 * A breadth-first walk from one start vertex, run lazily: `ensure(n)` walks
 * only until n matching vertices are known (or the graph is exhausted), so a
 * page costs what it returns, not the size of the graph. Descendants follow
 * associations from source to destination, Ascendants the other way, and
 * Both is the union of the two walks (it never turns around, so siblings are
 * not reached). Each vertex and edge is reported once, whatever cycles or
 * diamonds lead to it again. The start vertex is at depth 0.
 */
export class LineageTraversal {
  readonly matched: EntityRecord[] = [];
  /** Edges in discovery order; `edgesBefore[i]` = edges found before matched[i] was reached. */
  readonly edges: AssociationRecord[] = [];
  readonly edgesBefore: number[] = [];
  private readonly queue: { arn: string; depth: number; down: boolean }[] = [];
  private head = 0;
  // Keyed by ARN and by record identity, so a walk allocates no strings.
  private readonly seen = new Set<string>();
  private readonly expandedDown = new Set<string>();
  private readonly expandedUp = new Set<string>();
  private readonly edgeSeen = new Set<AssociationRecord>();
  done = false;

  constructor(
    private readonly state: LineageState,
    start: string,
    direction: TraversalDirection,
    private readonly maxDepth: number,
    private readonly matches: (entity: EntityRecord) => boolean,
    /** The list-lag cutoff: entities and associations created after it are not seen. */
    private readonly cutoff: number | undefined = undefined,
  ) {
    this.visit(start);
    if (direction !== 'Ascendants') this.queue.push({ arn: start, depth: 0, down: true });
    if (direction !== 'Descendants') this.queue.push({ arn: start, depth: 0, down: false });
  }

  private visit(arn: string): void {
    if (this.seen.has(arn)) return;
    this.seen.add(arn);
    const entity = this.state.entity(arn);
    if (entity !== undefined && (this.cutoff === undefined || entity.createdAt <= this.cutoff) && this.matches(entity)) {
      this.matched.push(entity);
      this.edgesBefore.push(this.edges.length);
    }
  }

  /** Walks until `count` vertices match, or everything within MaxDepth is seen. */
  ensure(count: number): void {
    while (!this.done && this.matched.length < count) {
      const step = this.queue[this.head];
      if (step === undefined) {
        this.done = true;
        this.queue.length = 0;
        return;
      }
      this.head += 1;
      if (step.depth >= this.maxDepth) continue;
      const expanded = step.down ? this.expandedDown : this.expandedUp;
      if (expanded.has(step.arn)) continue;
      expanded.add(step.arn);
      const neighbours: ReadonlyMap<string, AssociationRecord> | undefined = step.down ? this.state.outgoing.get(step.arn) : this.state.incoming.get(step.arn);
      if (neighbours === undefined) continue;
      for (const [next, association] of neighbours) {
        if (this.cutoff !== undefined && association.createdAt > this.cutoff) continue;
        // Visit first, so the edge that reaches a vertex is paged with it.
        this.visit(next);
        if (!this.edgeSeen.has(association)) {
          this.edgeSeen.add(association);
          this.edges.push(association);
        }
        if (!expanded.has(next)) this.queue.push({ arn: next, depth: step.depth + 1, down: step.down });
      }
    }
  }
}
