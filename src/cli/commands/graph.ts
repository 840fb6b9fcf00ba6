import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assertNever } from '../../lib/assert-never.js';
import { escapeControl } from '../../lib/display-text.js';
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
import { connectTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.js';
import { readVars, VAR_OPTIONS } from '../options.js';
import { goneNote, loadManifestFiles, manifestsForRef, parseFormat, parseMaxDepth } from './query.js';

const USAGE = `Usage: lineage graph MANIFEST_FILE|DIR... [options]
       lineage graph --live REF [options]

Draws lineage: the lineage manifests declare (no AWS access), or live
lineage around REF (an ARN, a SageMaker name, an s3:// URI or FILE#key).
Several manifests (files, or a directory of *.yaml) are drawn in one
picture, a \`manifest: NAME, node: KEY\` ref joined to that manifest's node.

Options:
  --format F                mermaid, dot, svg or html (default: from the -o
                            file's extension, else mermaid)
  -o, --output FILE         Write to FILE instead of standard output
  --live REF                Draw live lineage around REF
  --direction D             both (default), upstream or downstream (--live)
  --max-depth N             Associations to follow (--live; default 10)
  --model, --endpoint, --training-job
                            --live NAME names that model, endpoint or training
                            job (SageMaker's SDK gives all three one name; without
                            these the direction picks: both and downstream of a
                            model/job, upstream of an endpoint)
  --var NAME=VALUE          Value for \${var.NAME} in a manifest
  --var-file FILE           Values from a YAML or JSON file of NAME: value (repeatable; --var wins)
                            LINEAGE_VAR_NAME in the environment sets NAME too, below both
${TARGET_USAGE}
  -h, --help                Show this help.

svg is a finished picture laid out with dagre; html is one self-contained file
to open in a browser: drag to pan, wheel or buttons to zoom, click a node to
see its ARN, type, source and properties.

Exit codes: 0 drawn, 1 error, 2 usage error. All commands: docs/exit-codes.md.
`;

type GraphFormat = 'mermaid' | 'dot' | 'svg' | 'html';
const FORMATS: readonly GraphFormat[] = ['mermaid', 'dot', 'svg', 'html'];
const DIRECTIONS: readonly LineageDirection[] = ['both', 'upstream', 'downstream'];

function formatFromFile(file: string | undefined): GraphFormat | undefined {
  const ext = file === undefined ? undefined : /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  switch (ext) {
    case 'mmd': case 'mermaid': return 'mermaid';
    case 'dot': case 'gv': return 'dot';
    case 'svg': return 'svg';
    case 'html': case 'htm': return 'html';
    default: return undefined;
  }
}

export function renderGraph(graph: LineageGraph, format: GraphFormat): string {
  switch (format) {
    case 'mermaid': return renderMermaid(graph);
    case 'dot': return renderDot(graph);
    case 'svg': return renderSvg(graph);
    case 'html': return renderHtml(graph);
    default: return assertNever(format, 'format');
  }
}

const graph: Command = {
  name: 'graph',
  summary: 'Draw lineage as Mermaid, DOT, SVG or HTML',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        ...TARGET_OPTIONS,
        live: { type: 'string' },
        direction: { type: 'string' },
        'max-depth': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        model: { type: 'boolean' },
        endpoint: { type: 'boolean' },
        'training-job': { type: 'boolean' },
        ...VAR_OPTIONS,
      },
    });
    const live = values.live;
    if (live === undefined && positionals.length === 0) throw new UsageError('give manifest files or a directory of them, or --live REF');
    if (live !== undefined && positionals.length > 0) throw new UsageError(`give a manifest file or --live, not both ('${positionals[0]}')`);
    if (live === undefined && (values.direction !== undefined || values['max-depth'] !== undefined)) throw new UsageError('--direction and --max-depth apply to --live only');
    const kinds = (['model', 'endpoint', 'training-job'] as const).filter((k) => values[k] === true);
    if (kinds.length > 1) throw new UsageError(`give one of --model, --endpoint, --training-job, not ${kinds.map((k) => `--${k}`).join(' and ')}`);
    if (kinds.length > 0 && live === undefined) throw new UsageError(`--${kinds[0] ?? ''} applies to --live only`);
    const format = parseFormat(values.format, FORMATS, formatFromFile(values.output) ?? 'mermaid');
    const direction = parseFormat(values.direction, DIRECTIONS, 'both');
    const maxDepth = parseMaxDepth(values['max-depth']);
    const vars = readVars(values, io.cwd);

    let picture: LineageGraph;
    if (live === undefined) {
      picture = graphFromManifests(await loadManifestFiles(positionals, io, { vars }));
    } else {
      const target = await connectTarget(values, io);
      try {
        const manifests = await manifestsForRef(live, io, vars, target);
        const expect = kinds[0];
        const drawn = await graphFromLive(target.port, live, { direction, manifests, cwd: io.cwd, ...(expect === undefined ? {} : { expect }), ...(maxDepth === undefined ? {} : { maxDepth }) });
        io.stderr.write(goneNote(drawn.from));
        const others = drawn.from.alsoNames ?? [];
        if (others.length > 0) {
          const flags = ['model', 'endpoint', 'training-job'].filter((k) => k !== drawn.from.via).map((k) => `--${k}`).join(' or ');
          io.stderr.write(escapeControl(`note: '${live}' also names ${others.map((o) => `${/^[aeiou]/.test(o) ? 'an' : 'a'} ${o}`).join(' and ')}; drawn around the ${drawn.from.via.replace('-', ' ')} (${flags} draws another).\n`));
        }
        picture = drawn;
      } finally {
        await target.close();
      }
    }
    const text = renderGraph(picture, format);
    if (values.output === undefined || values.output === '-') {
      io.stdout.write(text);
    } else {
      const path = resolve(io.cwd, values.output);
      try {
        await writeFileAtomic(path, text, { shown: `--output ${values.output}`, option: '--output' });
      } catch (cause) {
        if (cause instanceof LineageError) throw cause;
        throw new LineageError('OUTPUT_UNWRITABLE', `cannot write ${values.output}: ${(cause as Error).message}`, { cause, hint: 'Check that the directory exists and is writable.' });
      }
      io.stderr.write(`Wrote ${values.output} (${format}, ${picture.nodes.length} nodes, ${picture.edges.length} associations)\n`);
    }
    return EXIT_OK;
  },
};

export default graph;
