/**
 * LineagePort over `@aws-sdk/client-sagemaker`, assembled from its parts:
 *
 * - sender.ts: concurrency, adaptive rate, retries with backoff, stats, typed over the SDK's commands;
 * - sdk-errors.ts: which failures to retry, what "not found" looks like, the LineageError given up with;
 * - entity-kinds.ts: describe/list/update/delete of each lineage entity kind, as one table;
 * - lost-writes.ts: creates and AddAssociation that check whether a lost answer's write happened;
 * - associations.ts, tags.ts, describe-resources.ts: the other reads and writes;
 * - to-port.ts, to-sdk.ts: SDK answers to the port's plain shapes, and the port's inputs to requests;
 * - account-region.ts, caller-identity.ts: the region, and the account from the option, the credentials, STS or an ARN.
 *
 * Only the modules under src/sagemaker import the SDK at runtime; the rest of
 * the tool depends on port.ts.
 */
import { Agent } from 'node:https';
import type { SageMakerClientConfig } from '@aws-sdk/client-sagemaker';
import { SageMakerClient } from './sdk.js';
import { LineageError } from '../lib/errors.js';
import { createAccountBook, discoverAccount, resolveRegion } from './account-region.js';
import { SYSTEM_CLOCK } from './adaptive-rate.js';
import { parseLineageArn } from './arn.js';
import { deleteAssociation, listAssociations, queryLineage, scanAssociations } from './associations.js';
import { compact } from './compact.js';
import { resourceDescribes } from './describe-resources.js';
import { ENTITY_KINDS } from './entity-kinds.js';
import { addAssociation, createAction, createArtifact, createContext } from './lost-writes.js';
import type { LineagePort } from './port.js';
import type { SdkContext } from './sdk-context.js';
import { createSender, type SenderOptions } from './sender.js';
import { serverClockOf } from './server-clock.js';
import { settled } from './settle.js';
import { addTags, deleteTags, listTags } from './tags.js';

export type { PortEvent, RetryEvent, RetryOptions } from './sender.js';

export interface ClientPortOptions extends SenderOptions {
  /** A ready client (tests pass one bound to the local service). Its own retries should be off (maxAttempts 1). */
  readonly client?: SageMakerClient;
  readonly region?: string;
  /** Endpoint URL (`--endpoint-url`); the SDK also reads AWS_ENDPOINT_URL_SAGEMAKER. */
  readonly endpoint?: string;
  /** `AWS_ENDPOINT_URL_STS`: where the account is asked (GetCallerIdentity); see caller-identity.ts. */
  readonly stsEndpoint?: string;
  readonly profile?: string;
  /** Static credentials (the local service accepts any). Default: the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** `--account-id`: the account, when the SDK cannot tell. */
  readonly accountId?: string;
  /** How long a look-up waits for SageMaker's lists to show a write they lag behind (ms). Default 10,000. */
  readonly listSettleMs?: number;
  /** PEM certificates TLS connections trust instead of Node's (AWS_CA_BUNDLE, ca_bundle; see aws-config.ts). */
  readonly caBundle?: string;
}

/** The port plus what only the SDK adapter knows. */
export interface ClientPort extends LineagePort {
  /** The client's current adaptive rate (calls/s), undefined while unlimited. */
  currentRate(): number | undefined;
  /** Releases the HTTP client when the port created it. */
  close(): void;
}

export async function createClientPort(options: ClientPortOptions = {}): Promise<ClientPort> {
  const httpsAgent = options.caBundle === undefined ? undefined : new Agent({ keepAlive: true, ca: options.caBundle });
  const client = options.client ?? new SageMakerClient(clientConfig(options, httpsAgent));
  const region = await resolveRegion(client);
  const clock = serverClockOf(client);
  // The service's time at this port's first answer: no read of this port precedes it.
  let firstAnswer: string | undefined;
  const sender = createSender(client, {
    ...options,
    onEvent: (event) => {
      if (firstAnswer === undefined && event.kind === 'call') firstAnswer = clock.latestAnswerTime();
      options.onEvent?.(event);
    },
  });
  const account = createAccountBook(options.accountId);
  const sdk: SdkContext = { sender, account, settle: { waitMs: options.listSettleMs ?? 10_000, clock: options.clock ?? SYSTEM_CLOCK } };
  const { artifact, context, action, 'trial-component': trialComponent } = ENTITY_KINDS;

  const port: ClientPort = {
    region,
    get accountId() {
      return account.id;
    },
    currentRate: () => sender.currentRate(),
    close: () => {
      if (options.client === undefined) client.destroy();
      httpsAgent?.destroy();
    },

    describeArtifact: (arn) => artifact.describe(sdk, arn),
    describeContext: (name) => context.describe(sdk, name),
    describeAction: (name) => action.describe(sdk, name),
    describeTrialComponent: (name) => trialComponent.describe(sdk, name),
    async describeByArn(arn) {
      const parsed = parseLineageArn(arn);
      if (parsed === undefined) {
        throw new LineageError('INVALID_ARN', `'${arn}' is not the ARN of a SageMaker lineage entity`, { hint: 'Lineage ARNs look like arn:aws:sagemaker:REGION:ACCOUNT:(artifact|context|action|experiment-trial-component)/NAME.' });
      }
      const kind = ENTITY_KINDS[parsed.kind];
      return kind.describe(sdk, kind.id === 'arn' ? arn : parsed.name);
    },

    listArtifacts: (filter) => artifact.list(sdk, { sourceUri: filter.sourceUri, type: filter.artifactType }),
    listContexts: (filter) => context.list(sdk, { sourceUri: filter.sourceUri, type: filter.contextType }),
    listActions: (filter) => action.list(sdk, { sourceUri: filter.sourceUri, type: filter.actionType }),
    listTags: (arn) => listTags(sdk, arn),
    listAssociations: (filter) => listAssociations(sdk, filter),
    queryLineage: (request) => queryLineage(sdk, request),
    scanEntities: (kind, filter, onPage) => ENTITY_KINDS[kind].scan(sdk, filter, onPage),
    scanAssociations: (filter, onPage) => scanAssociations(sdk, filter, onPage),
    serverTimeBefore: () => firstAnswer,

    ...resourceDescribes(sdk),

    createArtifact: (input) => createArtifact(sdk, input),
    createContext: (input) => createContext(sdk, input),
    createAction: (input) => createAction(sdk, input),
    updateArtifact: (arn, input) => artifact.update(sdk, arn, input),
    updateContext: (name, input) => context.update(sdk, name, input),
    updateAction: (name, input) => action.update(sdk, name, input),
    deleteArtifact: (arn) => artifact.delete(sdk, arn),
    deleteContext: (name) => context.delete(sdk, name),
    deleteAction: (name) => action.delete(sdk, name),
    addAssociation: (sourceArn, destinationArn, type) => addAssociation(sdk, sourceArn, destinationArn, type),
    deleteAssociation: (sourceArn, destinationArn) => deleteAssociation(sdk, sourceArn, destinationArn),
    addTags: (arn, tags) => addTags(sdk, arn, tags),
    deleteTags: (arn, keys) => deleteTags(sdk, arn, keys),

    stats: () => sender.stats(),
    settle: (find) => settled(sdk, find),
  };

  await discoverAccount(client, sender, account, { region, stsEndpoint: options.stsEndpoint, endpoint: options.endpoint, profile: options.profile, caBundle: options.caBundle, onEvent: options.onEvent });
  return port;
}

function clientConfig(options: ClientPortOptions, httpsAgent: Agent | undefined): SageMakerClientConfig {
  return compact<SageMakerClientConfig>({
    requestHandler: httpsAgent === undefined ? undefined : { httpsAgent },
    region: options.region,
    endpoint: options.endpoint,
    profile: options.profile,
    credentials: options.credentials === undefined ? undefined : { ...options.credentials },
    // Retries are this adapter's job: it counts them, paces them and names the resource.
    maxAttempts: 1,
  });
}
