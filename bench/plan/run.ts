// Benchmark of `plan`: no-op plans of manifests of 1,000 nodes (3 edges per node
// on average) against the local service limited to 50 calls/s with 20 ms latency
// (bench/plan/calls.ts: node by node, bulk in an account of only the manifest,
// bulk in an account 20 times larger, --refresh=false). The pure diff is
// bench/plan/pure.bench.ts, which `npm run bench -- plan` runs after this.
//
//   node --import tsx bench/plan/run.ts                       # 1,000 nodes
//   node --import tsx bench/plan/run.ts --sizes 100,1000,5000 # more sizes
//
// Each manifest is seeded into the service (entities with markers, associations
// and the record, as apply leaves them), then planned with the rate limit on.
// Printed: API calls (from the service's own counters), calls per node, wall
// time against the floor (calls / rate limit), and one `RESULT` line per figure
// with its target.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { parseArgs } from 'node:util';
import { benchPlanCalls, LATENCY_MS, RATE, resultLine } from './calls.js';

// `--pure` belongs to pure.bench.ts; the dispatcher passes the same options to both.
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000' }, pure: { type: 'string' }, runs: { type: 'string' } } });
const sizes = (values.sizes ?? '').split(',').filter((s) => s !== '').map(Number);

console.log(`plan benchmark: no-op plans at ${RATE} calls/s and ${LATENCY_MS} ms latency`);
const results = [];
for (const size of sizes) results.push(...await benchPlanCalls(size));
for (const result of results) console.log(resultLine(result));
