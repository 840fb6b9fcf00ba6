/**
 * The ARNs a live state's associations join, numbered once where they are
 * read (observe already looks every end up among the ARNs it observed), so the
 * edge diff maps each distinct ARN once rather than hashing two ARNs per
 * association again: 300,000 instead of 1,800,000 look-ups in a plan of
 * 900,000 edges. Held beside the edge list, not in it, as the manifest's edge
 * numbering is (src/manifest/edge-ends.ts): valid only for the very frozen
 * array it was made for, and a live state built another way simply has none.
 * Here, below both, because observe (src/sagemaker) writes it and the pure
 * diff (src/plan) reads it.
 */

import { associationTypeCodes } from './association-codes.js';

/** An association as observe returns it (src/sagemaker/port.ts's LiveAssociation), as far as its ends go. */
interface LiveAssociation {
  readonly sourceArn: string;
  readonly destinationArn: string;
  readonly type?: string | undefined;
}

export interface LiveEdgeEnds {
  /** slot -> ARN. */
  readonly arns: readonly string[];
  /** The slot of an ARN, or -1: the diff takes slots as its ARN ids, so it hashes no ARN of a node into a map of its own. */
  find(arn: string): number;
  /** Association i joins arns[ends[2i]] to arns[ends[2i + 1]]. */
  readonly ends: Int32Array;
  /** Association i's type as associationTypeCode gives it (0: read the association). */
  readonly types: Uint8Array;
}

const numbered = new WeakMap<readonly LiveAssociation[], LiveEdgeEnds>();

/** Gives ARNs slots as they are met, for numbering associations. */
export class ArnSlots {
  readonly #slots = new Map<string, number>();
  readonly arns: string[] = [];
  /** The slot of an ARN, given one if new. */
  add(arn: string): number {
    let slot = this.#slots.get(arn);
    if (slot === undefined) {
      slot = this.arns.push(arn) - 1;
      this.#slots.set(arn, slot);
    }
    return slot;
  }
  /** The slot of an ARN, or -1. */
  find(arn: string): number {
    return this.#slots.get(arn) ?? -1;
  }
}

/**
 * Freezes `edges` and keeps beside it the slots of its ends (`ends[2i]`,
 * `ends[2i + 1]` for association i, slots of `slots`). Returns the frozen array.
 */
export function attachLiveEdgeEnds<T extends LiveAssociation>(edges: T[], slots: ArnSlots, ends: Int32Array): readonly T[] {
  if (ends.length !== 2 * edges.length) throw new Error('attachLiveEdgeEnds: two ends per association');
  const frozen = Object.freeze(edges);
  numbered.set(frozen, { arns: slots.arns, find: (arn) => slots.find(arn), ends, types: associationTypeCodes(frozen) });
  return frozen;
}

/** Numbers the ends of a live state's associations (for a live state made by hand, as tests and benchmarks make them). */
export function numberLiveEdges<T extends LiveAssociation>(edges: readonly T[]): readonly T[] {
  const slots = new ArnSlots();
  const ends = new Int32Array(edges.length * 2);
  for (let i = 0; i < edges.length; i += 1) {
    const edge = edges[i] as T;
    ends[2 * i] = slots.add(edge.sourceArn);
    ends[2 * i + 1] = slots.add(edge.destinationArn);
  }
  return attachLiveEdgeEnds([...edges], slots, ends);
}

/** The numbering of these very associations, if they were numbered. */
export function liveEdgeEndsOf(edges: readonly LiveAssociation[]): LiveEdgeEnds | undefined {
  return numbered.get(edges);
}
