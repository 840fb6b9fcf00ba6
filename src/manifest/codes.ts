import type { Severity } from './diagnostic.js';

/**
 * Every diagnostic code the loader can report, with its severity and a one-line
 * explanation. Codes are stable: scripts match on them, and docs/manifest.md lists
 * them from this table (a test keeps the two in step).
 */
export const DIAGNOSTIC_CODES = {
  // Reading input
  FILE_NOT_FOUND: { severity: 'error', summary: 'A path on the command line does not exist.' },
  FILE_UNREADABLE: { severity: 'error', summary: 'A path exists but cannot be read (permissions, a socket, a device).' },
  FILE_TOO_LARGE: { severity: 'error', summary: 'A manifest is larger than the 10 MiB the loader accepts.' },
  NOT_TEXT: { severity: 'error', summary: 'A file is binary or not valid UTF-8.' },
  EMPTY_MANIFEST: { severity: 'error', summary: 'A file or standard input holds no YAML document.' },
  NO_MANIFESTS: { severity: 'error', summary: 'A directory holds no *.yaml or *.yml file.' },
  // YAML
  YAML_SYNTAX: { severity: 'error', summary: 'The text is not valid YAML.' },
  DUPLICATE_KEY: { severity: 'error', summary: 'A mapping names the same key twice.' },
  MULTIPLE_DOCUMENTS: { severity: 'error', summary: 'A file holds more than one YAML document; each file is one manifest.' },
  YAML_TOO_DEEP: { severity: 'error', summary: 'The YAML nests deeper than any manifest needs (64 levels).' },
  YAML_ALIAS_LIMIT: { severity: 'error', summary: 'Anchors and aliases expand beyond a safe size (a "YAML bomb").' },
  // Schema
  UNSUPPORTED_VERSION: { severity: 'error', summary: '`apiVersion` or `kind` is not `lineage-as-code/v1` / `LineageManifest`.' },
  UNKNOWN_FIELD: { severity: 'error', summary: 'A field the format does not define (often a typo).' },
  MISSING_FIELD: { severity: 'error', summary: 'A required field is absent.' },
  INVALID_TYPE: { severity: 'error', summary: 'A value has the wrong type (for example a number where SageMaker needs a string).' },
  INVALID_VALUE: { severity: 'error', summary: 'A value is not one of the allowed values or does not match the required pattern.' },
  TOO_LONG: { severity: 'error', summary: 'A value is longer than SageMaker allows.' },
  TOO_SHORT: { severity: 'error', summary: 'A value is empty where SageMaker needs at least one character.' },
  TOO_MANY: { severity: 'error', summary: 'More properties or tags than SageMaker allows (28 user properties, 50 tags), defaults included.' },
  INVALID_NODE_KEY: { severity: 'error', summary: 'A node key does not match the node key pattern.' },
  RESERVED_KEY: { severity: 'error', summary: 'A property key uses the tool\'s reserved prefix `lineage-as-code:`, or a tag key uses AWS\'s `aws:`.' },
  REF_FORM: { severity: 'error', summary: 'A `kind: ref` node names no target or several; it needs exactly one form.' },
  // Interpolation
  UNDEFINED_VARIABLE: { severity: 'error', summary: '`${var.NAME}` or `${env.NAME}` has no value.' },
  INVALID_INTERPOLATION: { severity: 'error', summary: 'A `${...}` expression is malformed or names an unknown namespace or AWS value.' },
  // Semantic rules
  UNKNOWN_NODE: { severity: 'error', summary: 'An edge names a node key the manifest does not declare.' },
  DUPLICATE_EDGE: { severity: 'error', summary: 'Two edges join the same pair of nodes (SageMaker keeps one association per pair).' },
  SELF_EDGE: { severity: 'error', summary: 'An edge goes from a node to itself.' },
  CYCLE: { severity: 'error', summary: 'Edges form a cycle; lineage is a directed acyclic graph.' },
  DUPLICATE_NAME: { severity: 'error', summary: 'Two contexts, or two actions, would get the same SageMaker name (declared or derived).' },
  DUPLICATE_ARTIFACT: { severity: 'error', summary: 'Two artifacts declare the same source and type, so both would adopt the same SageMaker artifact.' },
  REGION_MISMATCH: { severity: 'error', summary: 'A `ref.arn` names a region other than `metadata.region`.' },
  ACCOUNT_MISMATCH: { severity: 'error', summary: 'A `ref.arn` names an account other than `metadata.account`.' },
  DUPLICATE_MANIFEST: { severity: 'error', summary: 'Two manifests in one invocation share `metadata.name`.' },
  // Warnings (errors with --strict)
  UNUSED_DEFAULT: { severity: 'warning', summary: 'A `defaults` entry that no managed node receives (every node overrides it, or there are no managed nodes).' },
  ISOLATED_NODE: { severity: 'warning', summary: 'A node with no edges.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
