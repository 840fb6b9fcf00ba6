/**
 * Every form a `kind: ref` node can take, in one table: the YAML key, the
 * value's JSON Schema (with the description editors show), the row of the
 * reference in docs/manifest.md, how a value is read and written back, how a
 * target reads in messages, what is known of the entity standing for it before
 * any look-up, and its placeholder ARN in an offline plan. The schema file's
 * `$defs.ref` and the docs table are generated from it
 * (`scripts/generate-ref-forms.ts`; a test checks both are current). The
 * SageMaker look-up of each form is in src/sagemaker/resolve-ref.ts.
 */

/** How a `kind: ref` node names an entity the manifest does not own. */
export type RefTarget =
  | { readonly by: 'arn'; readonly arn: string }
  | { readonly by: 'trainingJob'; readonly name: string }
  | { readonly by: 'processingJob'; readonly name: string }
  | { readonly by: 'transformJob'; readonly name: string }
  | { readonly by: 'trialComponent'; readonly name: string }
  | { readonly by: 'context'; readonly name: string }
  | { readonly by: 'action'; readonly name: string }
  | { readonly by: 'artifact'; readonly sourceUri: string; readonly type: string }
  | { readonly by: 'model'; readonly name: string }
  | { readonly by: 'endpoint'; readonly name: string };

export type RefFormKey = RefTarget['by'];
type NameFormKey = Extract<RefTarget, { readonly name: string }>['by'];
interface NameTarget<B extends NameFormKey> { readonly by: B; readonly name: string }

/** What a target tells about the lineage entity standing for it, before any look-up. */
export interface RefStandIn {
  /** Unknown for `arn:` until the ARN is read. */
  readonly kind?: 'artifact' | 'context' | 'action' | 'trial-component';
  /** The type shown for it (ArtifactType for `artifact:`; the kind of resource otherwise). */
  readonly type?: string;
  readonly sourceUri?: string;
  readonly arn?: string;
}

/** Where an offline plan pretends the entity is: the same target always gives the same ARN. */
export type RefPlaceholder =
  /** The target is an ARN already. */
  | { readonly by: 'arn'; readonly arn: string }
  /** `<resource>` after `arn:aws:sagemaker:<region>:<account>:`. */
  | { readonly by: 'resource'; readonly resource: string }
  /** `artifact/<hash of seed>`: artifact ARNs carry an id, not a name. */
  | { readonly by: 'artifact-hash'; readonly seed: string };

export interface RefForm<T extends { readonly by: RefFormKey } = RefTarget> {
  readonly key: T['by'];
  /** The target in words, before its subject: "training job". */
  readonly label: string;
  /** `$defs.ref.properties.<key>` of the schema file, description first. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** The docs table's row: the form as written, and what it resolves to. */
  readonly docs: { readonly form: string; readonly resolvesTo: string };
  /** The target a YAML value gives, or undefined when the value is not of this form's shape. */
  read(value: unknown): T | undefined;
  /** The YAML value of a target (before escaping). */
  write(target: T): string | Readonly<Record<string, string>>;
  /** What the target names, after the label: a name, an ARN, "TYPE URI". */
  subject(target: T): string;
  standIn(target: T): RefStandIn;
  placeholder(target: T): RefPlaceholder;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A form whose value is one name. */
function nameForm<B extends NameFormKey>(
  key: B,
  spec: Pick<RefForm, 'label' | 'schema'> & { readonly resolvesTo: string; readonly standIn: RefStandIn; readonly placeholder: (name: string) => RefPlaceholder },
): RefForm<NameTarget<B>> {
  return {
    key,
    label: spec.label,
    schema: spec.schema,
    docs: { form: `${key}: NAME`, resolvesTo: spec.resolvesTo },
    read: (value) => {
      const name = text(value);
      return name === undefined ? undefined : { by: key, name };
    },
    write: (target) => target.name,
    subject: (target) => target.name,
    standIn: () => spec.standIn,
    placeholder: (target) => spec.placeholder(target.name),
  };
}

/** SageMaker names the trial component of a job `<job>-aws-<kind>-job`. */
export const JOB_TRIAL_COMPONENT_SUFFIX = {
  trainingJob: '-aws-training-job',
  processingJob: '-aws-processing-job',
  transformJob: '-aws-transform-job',
} as const;

export type JobFormKey = keyof typeof JOB_TRIAL_COMPONENT_SUFFIX;

export function jobTrialComponentName(by: JobFormKey, job: string): string {
  return `${job}${JOB_TRIAL_COMPONENT_SUFFIX[by]}`;
}

function jobForm<B extends JobFormKey>(key: B, label: string, type: string, schemaDescription: string, resolvesTo: string): RefForm<NameTarget<B>> {
  return nameForm(key, {
    label,
    schema: { description: schemaDescription, $ref: '#/$defs/jobName' },
    resolvesTo,
    standIn: { kind: 'trial-component', type },
    placeholder: (name) => ({ by: 'resource', resource: `experiment-trial-component/${jobTrialComponentName(key, name)}` }),
  });
}

/** The table, in the order the schema, the docs and the `REF_FORM` hint list the forms. */
export const REF_FORMS: { readonly [B in RefFormKey]: RefForm<Extract<RefTarget, { by: B }>> } = {
  arn: {
    key: 'arn',
    label: 'arn',
    schema: {
      description: 'The ARN of a lineage entity: an artifact, context, action, trial component or experiment.',
      type: 'string',
      maxLength: 256,
      pattern: '^arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*$',
      patternErrorMessage: 'must be the ARN of a SageMaker artifact, context, action, trial component or experiment, such as arn:aws:sagemaker:us-west-2:000000000000:artifact/0123456789abcdef0123456789abcdef',
    },
    docs: {
      form: 'arn: arn:aws:sagemaker:REGION:ACCOUNT:artifact/...',
      resolvesTo: 'That lineage entity (artifact, context, action, experiment or trial component; the ARN pattern `AddAssociation` accepts, at most 256 characters).',
    },
    read: (value) => {
      const arn = text(value);
      return arn === undefined ? undefined : { by: 'arn', arn };
    },
    write: (target) => target.arn,
    subject: (target) => target.arn,
    standIn: (target) => ({ arn: target.arn }),
    placeholder: (target) => ({ by: 'arn', arn: target.arn }),
  },
  trainingJob: jobForm('trainingJob', 'training job', 'TrainingJob',
    'A training job name; resolves to the trial component SageMaker created for it (`<name>-aws-training-job`).',
    'The trial component SageMaker created for the training job (`NAME-aws-training-job`).'),
  processingJob: jobForm('processingJob', 'processing job', 'ProcessingJob',
    'A processing job name; resolves to its trial component (`<name>-aws-processing-job`).',
    'Its trial component (`NAME-aws-processing-job`).'),
  transformJob: jobForm('transformJob', 'transform job', 'TransformJob',
    'A transform job name; resolves to its trial component (`<name>-aws-transform-job`).',
    'Its trial component (`NAME-aws-transform-job`).'),
  trialComponent: nameForm('trialComponent', {
    label: 'trial component',
    schema: { description: 'A trial component name.', $ref: '#/$defs/entityName' },
    resolvesTo: 'That trial component.',
    standIn: { kind: 'trial-component', type: 'TrialComponent' },
    placeholder: (name) => ({ by: 'resource', resource: `experiment-trial-component/${name}` }),
  }),
  context: nameForm('context', {
    label: 'context',
    schema: { description: 'A context name.', $ref: '#/$defs/contextName' },
    resolvesTo: 'The context with that name.',
    standIn: { kind: 'context', type: 'Context' },
    placeholder: (name) => ({ by: 'resource', resource: `context/${name}` }),
  }),
  action: nameForm('action', {
    label: 'action',
    schema: { description: 'An action name.', $ref: '#/$defs/entityName' },
    resolvesTo: 'The action with that name.',
    standIn: { kind: 'action', type: 'Action' },
    placeholder: (name) => ({ by: 'resource', resource: `action/${name}` }),
  }),
  artifact: {
    key: 'artifact',
    label: 'artifact',
    schema: {
      description: 'An artifact found by its source URI and type; exactly one must exist.',
      type: 'object',
      additionalProperties: false,
      required: ['source', 'type'],
      properties: {
        source: {
          description: 'Source.SourceUri of the artifact.',
          type: 'string',
          minLength: 1,
          maxLength: 2048,
          pattern: '^[^\\n\\r\\u0085\\u2028\\u2029]*$',
          patternErrorMessage: 'must be on one line: SageMaker rejects line breaks here (the API pattern is .*, which matches no line break); write long text as a YAML folded scalar (>-), see docs/manifest.md#line-breaks',
        },
        type: { description: 'ArtifactType of the artifact.', type: 'string', minLength: 1, maxLength: 256 },
      },
    },
    docs: { form: 'artifact: { source: URI, type: TYPE }', resolvesTo: 'The one artifact with that source URI and type.' },
    read: (value) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      const sourceUri = text((value as Record<string, unknown>)['source']);
      const type = text((value as Record<string, unknown>)['type']);
      return sourceUri === undefined || type === undefined ? undefined : { by: 'artifact', sourceUri, type };
    },
    write: (target) => ({ source: target.sourceUri, type: target.type }),
    subject: (target) => `${target.type} ${target.sourceUri}`,
    standIn: (target) => ({ kind: 'artifact', type: target.type, sourceUri: target.sourceUri }),
    placeholder: (target) => ({ by: 'artifact-hash', seed: `artifact\n${target.type}\n${target.sourceUri}` }),
  },
  model: nameForm('model', {
    label: 'model',
    schema: {
      description: 'A SageMaker model name; resolves to the Model artifact of its model data.',
      type: 'string',
      minLength: 1,
      maxLength: 63,
      pattern: '^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$',
      patternErrorMessage: 'must be a SageMaker model name: letters, digits and hyphens, starting and ending with a letter or digit',
    },
    resolvesTo: 'The Model artifact of that SageMaker model\'s model data.',
    standIn: { kind: 'artifact', type: 'Model' },
    placeholder: (name) => ({ by: 'artifact-hash', seed: `model\n${name}` }),
  }),
  endpoint: nameForm('endpoint', {
    label: 'endpoint',
    schema: { description: 'A SageMaker endpoint name; resolves to the Endpoint context SageMaker created for it.', $ref: '#/$defs/jobName' },
    resolvesTo: 'The Endpoint context SageMaker created for that endpoint.',
    standIn: { kind: 'context', type: 'Endpoint' },
    placeholder: (name) => ({ by: 'resource', resource: `context/${name}-aws-endpoint` }),
  }),
};

export const REF_FORM_KEYS = Object.keys(REF_FORMS) as readonly RefFormKey[];

/** The table's entry for a target (one cast here, since TypeScript cannot correlate the key with the entry). */
export function refFormOf<T extends RefTarget>(target: T): RefForm<T> {
  return REF_FORMS[target.by] as unknown as RefForm<T>;
}

/** The target of a ref node's mapping: the first form present with a value of its shape. */
export function readRefTarget(node: Readonly<Record<string, unknown>>): RefTarget | undefined {
  for (const key of REF_FORM_KEYS) {
    if (!Object.hasOwn(node, key)) continue;
    const target = (REF_FORMS[key] as RefForm).read(node[key]);
    if (target !== undefined) return target;
  }
  return undefined;
}

/** How a ref names its target, for messages: "training job NAME", "artifact TYPE URI". */
export function describeRefTarget(target: RefTarget): string {
  const form = refFormOf(target);
  return `${form.label} ${form.subject(target)}`;
}

/** The target as written in a manifest, on one line: "trainingJob: NAME". */
export function refTargetAsWritten(target: RefTarget): string {
  return `${target.by}: ${refFormOf(target).subject(target)}`;
}

export function refStandIn(target: RefTarget): RefStandIn {
  return refFormOf(target).standIn(target);
}

export function refPlaceholder(target: RefTarget): RefPlaceholder {
  return refFormOf(target).placeholder(target);
}

/** The `$defs.ref` object of the manifest JSON Schema. */
export function refSchema(): Record<string, unknown> {
  return {
    description: 'A reference to an entity the manifest does not own (one that SageMaker, a pipeline or another manifest created). Never created, updated or deleted; it must resolve when planning. Give exactly one form.',
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: { description: 'Always `ref` here.', const: 'ref' },
      ...Object.fromEntries(REF_FORM_KEYS.map((key) => [key, REF_FORMS[key].schema])),
    },
    // Each form excludes the others, so a ref with two forms fails every branch and the
    // editor (yaml-language-server) shows errorMessage rather than "Matches multiple schemas".
    oneOf: REF_FORM_KEYS.map((key) => ({
      allOf: [
        { required: [key], errorMessage: `a ref names its target in one of these forms: ${REF_FORM_KEYS.join(', ')}` },
        {
          properties: Object.fromEntries(REF_FORM_KEYS.filter((other) => other !== key).map((other) => [other, false])),
          errorMessage: `a ref names its target in exactly one form; give only one of: ${REF_FORM_KEYS.join(', ')}`,
        },
      ],
    })),
  };
}

/** The Markdown table of forms in docs/manifest.md. */
export function refFormsMarkdown(): string {
  const rows = REF_FORM_KEYS.map((key) => `| \`${REF_FORMS[key].docs.form}\` | ${REF_FORMS[key].docs.resolvesTo} |`);
  return ['| Form | Resolves to |', '|---|---|', ...rows].join('\n');
}
