import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assertNever } from '../../lib/assert-never.js';
import { escapeControl, toSafeJson } from '../../lib/display-text.js';
import { LineageError } from '../../lib/errors.js';
import { writeFileAtomic } from '../../lib/write-file-atomic.js';
import { graphFromLive } from '../../graph/from-live.js';
import { graphFromManifests } from '../../graph/from-manifest.js';
import type { LineageGraph } from '../../graph/model.js';
import { renderDot } from '../../graph/render-dot.js';
import { renderHtml } from '../../graph/render-html.js';
import { renderMermaid } from '../../graph/render-mermaid.js';
import { renderSvg } from '../../graph/render-svg.js';
import type { LineageDirection } from '../../query/query-lineage.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import type { CliIo } from '../io.js';
import { connectTarget, TARGET_OPTIONS } from '../target.js';
import { parseOutputFile, readVars, VAR_OPTIONS } from '../options.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { goneNote, loadManifestFiles, manifestsForRef, parseFormat, parseMaxDepth, refManifestFiles } from './query.js';

const OPTIONS = defineOptions({
  format: { type: 'string', value: 'F', help: ['mermaid, dot, svg, html or json (default: from the -o', "file's extension, else mermaid)"] },
  output: { type: 'string', short: 'o', value: 'FILE', help: 'Write to FILE instead of standard output' },
  live: { type: 'string', value: 'REF', help: 'Draw live lineage around REF' },
  direction: { type: 'string', value: 'D', help: 'both (default), upstream or downstream (--live)' },
  'max-depth': { type: 'string', value: 'N', help: 'Associations to follow (--live; default 10)' },
  model: { type: 'string', value: 'NAME', help: ['Live lineage around this model (SageMaker\'s SDK', 'names a training job, its model and endpoint alike;', '--live NAME then picks by the direction: the model', 'for both, the endpoint upstream, the job downstream)'] },
  endpoint: { type: 'string', value: 'NAME', help: 'Live lineage around this endpoint' },
  'training-job': { type: 'string', value: 'NAME', help: 'Live lineage around this training job' },
  ...VAR_OPTIONS,
  ...TARGET_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage graph MANIFEST_FILE|DIR... [options]', 'lineage graph --live REF [options]', 'lineage graph --model|--endpoint|--training-job NAME [options]'],
  description: `Draws lineage: the lineage manifests declare (no AWS access), or live
lineage around REF (an ARN, a SageMaker name, an s3:// URI or FILE#key).
Several manifests (files, or a directory of *.yaml) are drawn in one
picture, a \`manifest: NAME, node: KEY\` ref joined to that manifest's node.`,
  options: OPTIONS,
  after: `svg is a finished picture laid out with dagre; html is one self-contained file
to open in a browser: drag to pan, wheel or buttons to zoom, click a node to
see its ARN, type, source and properties. json is the graph as data: {title,
nodes: [{id, label, category, kind, type, arn, sourceUri, properties, details}],
edges: [{from, to, type}]}.`,
  exitCodes: '0 drawn, 1 error, 2 usage error.',
});

type GraphFormat = 'mermaid' | 'dot' | 'svg' | 'html' | 'json';
const FORMATS: readonly GraphFormat[] = ['mermaid', 'dot', 'svg', 'html', 'json'];
const DIRECTIONS: readonly LineageDirection[] = ['both', 'upstream', 'downstream'];

function formatFromFile(file: string | undefined): GraphFormat | undefined {
  const ext = file === undefined ? undefined : /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  switch (ext) {
    case 'mmd': case 'mermaid': return 'mermaid';
    case 'dot': case 'gv': return 'dot';
    case 'svg': return 'svg';
    case 'html': case 'htm': return 'html';
    case 'json': return 'json';
    default: return undefined;
  }
}

export function renderGraph(graph: LineageGraph, format: GraphFormat): string {
  switch (format) {
    case 'mermaid': return renderMermaid(graph);
    case 'dot': return renderDot(graph);
    case 'svg': return renderSvg(graph);
    case 'html': return renderHtml(graph);
    case 'json': return `${toSafeJson(graph, 2)}\n`;
    default: return assertNever(format, 'format');
  }
}

const graph: Command = {
  name: 'graph',
  summary: 'Draw lineage as Mermaid, DOT, SVG or HTML',
  usage: USAGE,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    // --model/--endpoint/--training-job NAME are --live NAME that says what NAME is.
    const starts = (['live', 'model', 'endpoint', 'training-job'] as const).filter((k) => values[k] !== undefined);
    if (starts.length > 1) throw new UsageError(`give one of --live, --model, --endpoint, --training-job, not ${starts.map((k) => `--${k}`).join(' and ')}`);
    const kind = starts[0];
    const live = kind === undefined ? undefined : values[kind];
    if (live === undefined && positionals.length === 0) throw new UsageError('give manifest files or a directory of them, or --live REF');
    if (live !== undefined && positionals.length > 0) throw new UsageError(`give a manifest file or --${kind ?? 'live'}, not both ('${positionals[0]}')`);
    if (live === undefined && (values.direction !== undefined || values['max-depth'] !== undefined)) throw new UsageError('--direction and --max-depth apply to --live only');
    const output = parseOutputFile(values.output);
    const format = parseFormat(values.format, FORMATS, formatFromFile(output) ?? 'mermaid');
    const direction = parseFormat(values.direction, DIRECTIONS, 'both');
    const maxDepth = parseMaxDepth(values['max-depth']);
    const vars = readVars(values, io.cwd);

    let picture: LineageGraph;
    if (live === undefined) {
      picture = graphFromManifests(await loadManifestFiles(positionals, io, { vars }));
    } else {
      const target = await connectTarget(values, io, { manifestFiles: refManifestFiles(live) });
      try {
        const manifests = await manifestsForRef(live, io, vars, target);
        const expect = kind === 'live' ? undefined : kind;
        const drawn = await graphFromLive(target.port, live, { direction, manifests, cwd: io.cwd, ...(expect === undefined ? {} : { expect }), ...(maxDepth === undefined ? {} : { maxDepth }) });
        io.stderr.write(goneNote(drawn.from));
        const others = drawn.from.alsoNames ?? [];
        if (others.length > 0) {
          const flags = ['model', 'endpoint', 'training-job'].filter((k) => k !== drawn.from.via).map((k) => `--${k} ${live}`).join(' or ');
          io.stderr.write(escapeControl(`note: '${live}' also names ${others.map((o) => `${/^[aeiou]/.test(o) ? 'an' : 'a'} ${o}`).join(' and ')}; drawn around the ${drawn.from.via.replace('-', ' ')} (${flags} draws another).\n`));
        }
        const { from: _from, ...drawing } = drawn;
        picture = drawing;
      } finally {
        await target.close();
      }
    }
    const text = renderGraph(picture, format);
    if (output === undefined || output === '-') {
      io.stdout.write(text);
    } else {
      const path = resolve(io.cwd, output);
      try {
        await writeFileAtomic(path, text, { shown: `--output ${output}`, option: '--output' });
      } catch (cause) {
        if (cause instanceof LineageError) throw cause;
        throw new LineageError('OUTPUT_UNWRITABLE', `cannot write ${output}: ${(cause as Error).message}`, { cause, hint: 'Check that the directory exists and is writable.' });
      }
      io.stderr.write(`Wrote ${output} (${format}, ${picture.nodes.length} nodes, ${picture.edges.length} associations)\n`);
    }
    return EXIT_OK;
  },
};

export default graph;
