/**
 * The I/O half of planning one manifest against SageMaker: the target guards,
 * the manifest record, then the live state. Plan, apply and destroy all start
 * here; apply also uses it to check a saved plan is still current.
 */
import type { DesiredManifest } from '../manifest/types.js';
import { observedDigest } from '../plan/observed-digest.js';
import { upgradeLegacyRecord } from '../plan/legacy-record.js';
import type { LiveState } from '../sagemaker/live-state.js';
import { checkTargetGuards, observeLineage, type ObserveOptions } from '../sagemaker/observe.js';
import type { LineagePort } from '../sagemaker/port.js';
import { readManifestRecord } from '../sagemaker/record-store.js';
import type { ManifestRecord } from '../state/record.js';

export interface Observation {
  readonly record: ManifestRecord | undefined;
  readonly live: LiveState;
  /** What a plan computed from this observation carries as `observedDigest`. */
  readonly digest: string;
}

/** Reads the record and the live state of a manifest (guards first). */
export async function observeManifest(port: LineagePort, manifest: DesiredManifest, options: ObserveOptions = {}): Promise<Observation> {
  checkTargetGuards(port, manifest);
  const read = await readManifestRecord(port, manifest);
  const live = await observeLineage(port, manifest, read, options);
  // A format 1 record's ownership is decided once, here, from what was observed; plan and apply use the same.
  const record = upgradeLegacyRecord(read, live);
  // Hashed on first read only: only the check of a saved plan reads it.
  let digest: string | undefined;
  return {
    record,
    live,
    get digest(): string {
      digest ??= observedDigest(record, live);
      return digest;
    },
  };
}
