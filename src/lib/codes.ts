/**
 * Every code a user can see, in one table: the diagnostics the manifest loader
 * collects, the problems and warnings that stop or accompany a plan, the errors
 * the tool throws, and the AWS errors the SageMaker adapter wraps. Codes are
 * stable (scripts match on them); docs/errors.md documents each one, and a test
 * keeps the page and this table in step in both directions.
 *
 * The types of `Diagnostic['code']` and `LineageError['code']` are derived from
 * here, so a code that is not in the table does not compile.
 */

export type Severity = 'error' | 'warning';

/** Where a code comes from; docs/errors.md has one section per family. */
export type CodeFamily = 'manifest' | 'plan' | 'runtime' | 'aws';

interface CollectedEntry {
  readonly severity: Severity;
  readonly meaning: string;
}

interface ThrownEntry {
  readonly meaning: string;
}

export const CODES = {
  /** Manifest diagnostics: collected by the loader, every problem at once. `--strict` makes warnings errors. */
  manifest: {
    // Reading input
    FILE_NOT_FOUND: { severity: 'error', meaning: 'A path on the command line does not exist.' },
    FILE_UNREADABLE: { severity: 'error', meaning: 'A path exists but cannot be read (permissions, a socket, a device).' },
    FILE_TOO_LARGE: { severity: 'error', meaning: 'A manifest (a file or standard input) is larger than the 10 MiB the loader accepts.' },
    NOT_TEXT: { severity: 'error', meaning: 'A file is binary or not valid UTF-8.' },
    EMPTY_MANIFEST: { severity: 'error', meaning: 'A file or standard input holds no YAML document.' },
    NO_MANIFESTS: { severity: 'error', meaning: 'A directory holds no *.yaml or *.yml file.' },
    NOT_A_FILE: { severity: 'warning', meaning: 'A *.yaml or *.yml entry of a directory is not a regular file (a FIFO, socket or device) and is skipped.' },
    // YAML
    YAML_SYNTAX: { severity: 'error', meaning: 'The text is not valid YAML.' },
    DUPLICATE_KEY: { severity: 'error', meaning: 'A mapping names the same key twice.' },
    MULTIPLE_DOCUMENTS: { severity: 'error', meaning: 'A file holds more than one YAML document; each file is one manifest.' },
    YAML_TOO_DEEP: { severity: 'error', meaning: 'The YAML nests deeper than any manifest needs (64 levels).' },
    YAML_ALIAS_LIMIT: { severity: 'error', meaning: 'Anchors and aliases expand beyond a safe size (a "YAML bomb").' },
    PROTO_KEY: { severity: 'error', meaning: 'A mapping key is `__proto__`, which JavaScript objects cannot hold as data; it is refused rather than lost.' },
    // Schema
    UNSUPPORTED_VERSION: { severity: 'error', meaning: '`apiVersion` or `kind` is not `lineage-as-code/v1` / `LineageManifest`.' },
    UNKNOWN_FIELD: { severity: 'error', meaning: 'A field the format does not define (often a typo).' },
    MISSING_FIELD: { severity: 'error', meaning: 'A required field is absent.' },
    INVALID_TYPE: { severity: 'error', meaning: 'A value has the wrong type (for example a number where SageMaker needs a string).' },
    INVALID_VALUE: { severity: 'error', meaning: 'A value is not one of the allowed values or does not match the required pattern.' },
    TOO_LONG: { severity: 'error', meaning: 'A value is longer than SageMaker allows.' },
    TOO_SHORT: { severity: 'error', meaning: 'A value is empty where SageMaker needs at least one character.' },
    TOO_MANY: { severity: 'error', meaning: 'More properties or tags than SageMaker allows (28 user properties, 50 tags), defaults included.' },
    INVALID_NODE_KEY: { severity: 'error', meaning: 'A node key does not match the node key pattern.' },
    RESERVED_KEY: { severity: 'error', meaning: 'A property key uses the tool\'s reserved prefix `lineage-as-code:`, or a tag key uses AWS\'s `aws:`.' },
    REF_FORM: { severity: 'error', meaning: 'A `kind: ref` node names no target or several; it needs exactly one form.' },
    SELF_MANIFEST_REF: { severity: 'error', meaning: 'A `manifest: NAME, node: KEY` ref names the manifest it is in.' },
    // Interpolation
    UNDEFINED_VARIABLE: { severity: 'error', meaning: 'A declared variable used as `${var.NAME}` has no value from `--var`, `--var-file`, `LINEAGE_VAR_NAME` or its default.' },
    UNDECLARED_VARIABLE: { severity: 'error', meaning: '`${var.NAME}` names a variable the manifest does not declare under `variables:`.' },
    ENV_NOT_ALLOWED: { severity: 'error', meaning: '`${env.NAME}` reads the environment; a manifest reads only the variables it declares.' },
    SENSITIVE_PLACEMENT: { severity: 'error', meaning: 'A sensitive variable is used where its value would be shown (a name, type, source, ref or metadata); only property and tag values and descriptions may hold one.' },
    UNDECLARED_VARIABLE_VALUE: { severity: 'warning', meaning: '`--var` or `--var-file` gives a value for a variable no manifest declares.' },
    INVALID_INTERPOLATION: { severity: 'error', meaning: 'A `${...}` expression is malformed or names an unknown namespace or AWS value.' },
    // Semantic rules
    UNKNOWN_NODE: { severity: 'error', meaning: 'An edge names a node key the manifest does not declare.' },
    DUPLICATE_EDGE: { severity: 'error', meaning: 'Two edges join the same pair of nodes (SageMaker keeps one association per pair).' },
    SELF_EDGE: { severity: 'error', meaning: 'An edge goes from a node to itself.' },
    CYCLE: { severity: 'error', meaning: 'Edges form a cycle; lineage is a directed acyclic graph.' },
    DUPLICATE_NAME: { severity: 'error', meaning: 'Two contexts, or two actions, would get the same SageMaker name (declared or derived).' },
    DUPLICATE_ARTIFACT: { severity: 'error', meaning: 'Two artifacts declare the same source and type, so both would adopt the same SageMaker artifact.' },
    REGION_MISMATCH: { severity: 'error', meaning: 'A `ref.arn` names a region other than `metadata.region`.' },
    ACCOUNT_MISMATCH: { severity: 'error', meaning: 'A `ref.arn` names an account other than `metadata.account`.' },
    DUPLICATE_MANIFEST: { severity: 'error', meaning: 'Two manifests in one invocation share `metadata.name`.' },
    UNKNOWN_MANIFEST_NODE: { severity: 'error', meaning: 'A `manifest: NAME, node: KEY` ref names a manifest given in the same invocation that declares no node KEY.' },
    MOVED_INVALID: { severity: 'error', meaning: 'A `moved` entry goes from a key to itself, its `to` names no declared node, or its `from` is still declared.' },
    MOVED_CONFLICT: { severity: 'error', meaning: 'A key appears in two `moved` entries (twice as `from` or `to`, or as the `to` of one and the `from` of another: a chain or a cycle), or in both `moved` and `removed`.' },
    REMOVED_INVALID: { severity: 'error', meaning: 'A `removed` entry names a node still declared under `nodes`, or the same node twice.' },
    // Warnings (errors with --strict)
    UNUSED_DEFAULT: { severity: 'warning', meaning: 'A `defaults` entry that no managed node receives (every node overrides it, or there are no managed nodes).' },
    ISOLATED_NODE: { severity: 'warning', meaning: 'A node with no edges.' },
    MOVED_DERIVED_NAME: { severity: 'warning', meaning: 'A moved context or action takes its name from its key, so the move changes its name, which SageMaker cannot update: the plan replaces it.' },
  },
  /** Plan problems (errors: computePlan answers `ok: false`) and plan warnings (the plan stands). */
  plan: {
    UNRESOLVED_REF: { severity: 'error', meaning: 'A `kind: ref` node names an entity that does not exist.' },
    AMBIGUOUS_ENTITY: { severity: 'error', meaning: 'Several existing entities match a managed node and none carries this manifest\'s markers.' },
    OWNED_BY_OTHER_MANIFEST: { severity: 'error', meaning: 'The entity a node would manage carries the markers of another manifest.' },
    PREVENT_DESTROY: { severity: 'error', meaning: 'A node with `lifecycle.preventDestroy` would be replaced, or deleted by destroy.' },
    FOREIGN_IMMUTABLE: { severity: 'error', meaning: 'An entity the manifest did not create differs on a field SageMaker cannot update, and the tool never deletes what it did not create.' },
    KIND_CHANGED: { severity: 'error', meaning: 'A node key changed kind (artifact, context, action, ref) since the last apply.' },
    MOVED_BOTH_RECORDED: { severity: 'error', meaning: 'A `moved` entry\'s `from` and `to` are both in the record: two entities, and the move cannot say which one the node is.' },
    MOVED_NOTHING: { severity: 'warning', meaning: 'The record holds neither key of a `moved` entry (never applied here, or applied under another name): nothing to move.' },
    REMOVED_NOTHING: { severity: 'warning', meaning: 'The record does not hold the node a `removed` entry names: nothing to forget (already forgotten, or never applied here).' },
    FOREIGN_EDGE_TYPE: { severity: 'error', meaning: 'A declared edge exists in SageMaker with another type, added by someone else (SageMaker or another user); changing its type would delete their association.' },
    IMMUTABLE_IGNORED: { severity: 'warning', meaning: 'An adopted entity differs on metadata or source ids the manifest sets; SageMaker cannot update them and the tool never replaces what it did not create, so they stay as they are.' },
    NON_ASCII_KEY: { severity: 'warning', meaning: 'A property or tag key, declared or live, has characters outside ASCII (a look-alike such as a Cyrillic `е` in `tеam`, or an invisible one); the warning names their code points.' },
    OFFLINE_RENAMED_MANIFEST: { severity: 'warning', meaning: 'An offline plan (`--against`) found `metadata.name` changed: the renamed manifest is a new identity, so everything is planned as created.' },
  },
  /** Errors the tool throws (`LineageError`): exit code 1, message and hint on stderr. */
  runtime: {
    // Target and credentials
    NO_REGION: { meaning: 'No AWS region is configured.' },
    NO_CREDENTIALS: { meaning: 'No AWS credentials were found.' },
    TARGET_CONFLICT: { meaning: '`--local` and `--endpoint-url` both name a target.' },
    FIXTURES_NEED_LOCAL: { meaning: '`--fixtures` was given without `--local`: fixtures load into the local service only.' },
    INVALID_ACCOUNT_ID: { meaning: '`--account-id` is not 12 digits.' },
    INVALID_ENDPOINT_URL: { meaning: '`--endpoint-url` (or AWS_ENDPOINT_URL_SAGEMAKER, AWS_ENDPOINT_URL) is not a URL that parses; it is not shown, as it may hold a credential.' },
    REGION_CONFLICT: { meaning: 'The manifests of one invocation name different regions in `metadata.region`.' },
    ACCOUNT_CONFLICT: { meaning: 'The manifests of one invocation name different accounts in `metadata.account`.' },
    REGION_MISMATCH: { meaning: 'The target SageMaker is in a region other than the manifest\'s `metadata.region`.' },
    ACCOUNT_MISMATCH: { meaning: 'The target SageMaker is in an account other than the manifest\'s `metadata.account`.' },
    ACCOUNT_UNKNOWN: { meaning: 'The manifest sets `metadata.account` and the account of the target cannot be determined.' },
    PROFILE_NOT_FOUND: { meaning: 'The AWS profile named by `--profile` or AWS_PROFILE is in neither the AWS config file nor the credentials file.' },
    CONFIG_SETTING_INVALID: { meaning: 'A setting of the AWS environment or config file the tool applies (AWS_MAX_ATTEMPTS, max_attempts, AWS_RETRY_MODE, retry_mode, a profile\'s services section) has a value it cannot use.' },
    CA_BUNDLE_UNREADABLE: { meaning: 'The CA bundle named by AWS_CA_BUNDLE or a profile\'s ca_bundle cannot be read or holds no PEM certificate.' },
    ENDPOINT_UNREACHABLE: { meaning: 'An AWS endpoint cannot be reached in a way a retry cannot fix: its name does not resolve, nothing listens on its port, or its TLS certificate is not trusted.' },
    INVALID_ARN: { meaning: 'An ARN is not the ARN of a SageMaker lineage entity.' },
    // Manifest record and lock
    RECORD_DAMAGED: { meaning: 'The manifest record in SageMaker is missing a part or cannot be decoded.' },
    RECORD_VERSION: { meaning: 'The manifest record was written in a format this version does not read.' },
    RECORD_NAME_TAKEN: { meaning: 'The context that would hold a manifest\'s record is something else, or belongs to another manifest.' },
    LOCK_HELD: { meaning: 'Another apply or destroy of the manifest holds its lock.' },
    LOCK_NAME_TAKEN: { meaning: 'The context that would lock a manifest exists and is not a lineage-as-code lock.' },
    LOCK_LOST: { meaning: 'An apply stopped writing because its lock\'s lease could not be renewed or was taken over.' },
    INTERRUPTED: { meaning: 'An apply or destroy was stopped by SIGINT or SIGTERM, or a write was still in flight when it stopped.' },
    // Plan, saved plans and apply
    PLAN_STALE: { meaning: 'The manifest, live lineage or the manifest record changed after the plan was made; nothing was written.' },
    PLAN_OFFLINE: { meaning: 'A plan computed offline (`--against`) cannot be applied.' },
    PLAN_NOT_REFRESHED: { meaning: 'A plan made with `--refresh=false` (from the manifest record alone) cannot be applied.' },
    PLAN_TARGET_MISMATCH: { meaning: 'A plan computed for one account and region is applied to another.' },
    VAR_FILE_INVALID: { meaning: 'A `--var-file` cannot be read, or is not a YAML or JSON mapping of variable names to strings.' },
    PLAN_FILE_INVALID: { meaning: 'A saved plan file is not valid JSON, holds no plan, or is not a valid plan.' },
    PLAN_FORMAT_VERSION: { meaning: 'A saved plan is in a plan format this version does not apply.' },
    PLAN_TOOL_VERSION: { meaning: 'A saved plan was made by an incompatible version of lineage-as-code.' },
    PLAN_MANIFEST_MISSING: { meaning: 'Apply of a saved plan cannot find the manifest the plan was made from.' },
    PLAN_MANIFEST_STDIN: { meaning: 'A saved plan was made from standard input, so apply cannot find its manifest.' },
    PLAN_OUT_WRITE: { meaning: 'The file given to `plan --out` cannot be written.' },
    CONFIRMATION_REQUIRED: { meaning: 'Apply or destroy needs a confirmation and there is no terminal to ask on.' },
    APPLY_PARALLELISM: { meaning: '`--parallelism` is not a whole number of 1 or more.' },
    APPLY_NO_ARN: { meaning: 'An association step names a node whose ARN the plan does not know.' },
    APPLY_FAILED: { meaning: 'A step of apply, or a write of the manifest record, failed for a reason other than a SageMaker error.' },
    ARTIFACT_NAME_TAKEN: { meaning: 'The name an artifact would be created with belongs to another artifact of the account and region, one this manifest did not create for that node.' },
    // Queries, show, graph, import and generate
    FILE_NOT_FOUND: { meaning: 'A manifest file given to `force-unlock` does not exist.' },
    MANIFEST_INVALID: { meaning: 'A manifest named in a reference has errors.' },
    MANIFEST_NOT_LOADED: { meaning: 'A `MANIFEST#node` reference names a manifest that was not loaded.' },
    MANIFEST_NODE_NOT_FOUND: { meaning: 'A `MANIFEST#node` reference names a node the manifest does not have, or a `query`/`show` REF is a manifest file with no `#node`.' },
    ENTITY_REF_EMPTY: { meaning: 'A reference is empty.' },
    ENTITY_REF_UNSUPPORTED: { meaning: 'A reference is the ARN of something without lineage, or not the kind of entity the question needs.' },
    ENTITY_NOT_FOUND: { meaning: 'A reference names nothing that exists in the target.' },
    ENTITY_AMBIGUOUS: { meaning: 'A name names several entities.' },
    QUERY_NO_START: { meaning: 'A lineage query has no start ARN.' },
    QUERY_MAX_DEPTH: { meaning: 'The maximum depth of a lineage query is not a whole number of 1 or more.' },
    OUTPUT_UNWRITABLE: { meaning: 'The file given to `graph --output`, `import --output` or `generate --output` cannot be written.' },
    OUTPUT_SYMLINK: { meaning: 'The file given to `plan --out`, `graph --output`, `import --output` or `generate --output` is a symbolic link; the tool does not write through links.' },
    QUERY_FILE_TOO_LARGE: { meaning: 'The query given to `generate --query-file` (a file or standard input) is larger than 10 MiB.' },
    INVALID_MAX_DEPTH: { meaning: '`import --max-depth` is not a whole number from 1 to 10.' },
    NOT_FOUND: { meaning: 'A job, model, endpoint, feature group, ARN or URI given to `generate` or `import` does not exist in the target.' },
    AMBIGUOUS_START: { meaning: 'Several artifacts have the source URI given to `import --from`, or the `FILE#key` given stands for several entities.' },
    NOTHING_TO_GENERATE: { meaning: '`generate` was given no job, feature group, model or endpoint.' },
    QUERY_FILE_UNREADABLE: { meaning: 'The file given to `generate --query-file` cannot be read.' },
    QUERY_FILE_EMPTY: { meaning: 'The file given to `generate --query-file` is empty.' },
    GIT_NOT_FOUND: { meaning: '`generate --code` needs git, and git is not on PATH.' },
    CODE_PATH_NOT_FOUND: { meaning: 'A path given to `generate --code` does not exist.' },
    // The local service
    LOCAL_OPTION_INVALID: { meaning: 'A region, account ID or host given to the local service is not valid.' },
    LOCAL_FIXTURES_INVALID: { meaning: 'A fixtures file or object given to the local service cannot be loaded.' },
    LOCAL_FAULTS_INVALID: { meaning: 'An injected-fault option of the local service is out of range.' },
    LOCAL_PORT_IN_USE: { meaning: 'The port the local service should listen on is in use.' },
    LOCAL_DATA_LOCKED: { meaning: 'The local service\'s data directory is in use by another service, or cannot be locked.' },
    LOCAL_DATA_CORRUPT: { meaning: 'The local service\'s journal holds a line that is not an entry, with entries after it.' },
  },
  /**
   * AWS errors, thrown as `LineageError` by the SageMaker adapter with code
   * `AWS_<ErrorName>`. The adapter itself makes AWS_CredentialsProviderError,
   * AWS_EmptyResponse, AWS_PaginationLoop and AWS_UnknownError (an SDK error
   * without a name); every other name is the SDK's, passed through, so the
   * family is open: the names listed are those the adapter gives a hint for.
   */
  aws: {
    AWS_CredentialsProviderError: { meaning: 'The SDK\'s credential chain found no credentials.' },
    AWS_EmptyResponse: { meaning: 'A create call succeeded without returning the new entity\'s ARN.' },
    AWS_PaginationLoop: { meaning: 'A list call returned the same page token twice.' },
    AWS_UnknownError: { meaning: 'A call failed with an error that has no name.' },
    AWS_ThrottlingException: { meaning: 'SageMaker kept throttling the calls after every retry.' },
    AWS_AccessDeniedException: { meaning: 'The credentials lack a SageMaker permission for the call.' },
    AWS_ResourceLimitExceeded: { meaning: 'An account quota of lineage entities is full.' },
    AWS_ConflictException: { meaning: 'Someone else changed the entity at the same time.' },
    AWS_ValidationException: { meaning: 'SageMaker rejected the request.' },
    AWS_ResourceNotFound: { meaning: 'The entity does not exist (any more).' },
    AWS_UnrecognizedClientException: { meaning: 'The credentials are not valid for the account and region.' },
    AWS_InvalidSignatureException: { meaning: 'The request signature was rejected.' },
    AWS_ExpiredTokenException: { meaning: 'The session credentials have expired.' },
    AWS_InternalFailure: { meaning: 'SageMaker failed internally on every retry.' },
  },
} as const satisfies {
  readonly manifest: Readonly<Record<string, CollectedEntry>>;
  readonly plan: Readonly<Record<string, CollectedEntry>>;
  readonly runtime: Readonly<Record<string, ThrownEntry>>;
  readonly aws: Readonly<Record<`AWS_${string}`, ThrownEntry>>;
};

type PlanTable = typeof CODES.plan;

/** A manifest diagnostic's code. */
export type ManifestCode = keyof typeof CODES.manifest;
/** A plan problem's code (severity error). */
export type PlanProblemCode = { [C in keyof PlanTable]: PlanTable[C]['severity'] extends 'error' ? C : never }[keyof PlanTable];
/** A plan warning's code. */
export type PlanWarningCode = Exclude<keyof PlanTable, PlanProblemCode>;
export type PlanCode = keyof PlanTable;
/** The code of an error the tool throws itself. */
export type RuntimeCode = keyof typeof CODES.runtime;
/** The AWS codes listed in the table. */
export type KnownAwsCode = keyof typeof CODES.aws;
/**
 * An AWS code: the listed ones, or `AWS_` and any SDK error name the adapter
 * passes through (the SDK can name errors this table has never seen).
 */
export type AwsCode = KnownAwsCode | `AWS_${string}`;

/** Codes a `Diagnostic` carries: collected, never thrown. */
export type CollectedCode = ManifestCode | PlanCode;
/** Codes a `LineageError` carries. */
export type ThrownCode = RuntimeCode | AwsCode;
