/**
 * dist/cli.js, the `citus-rollups` command: sets V8's WebAssembly compiler for one-shot runs, then runs the CLI
 * bundle (dist/cli-main.js, src/cli/main.ts) with the code cache (./codeCache.ts).
 */
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { loadBundle } from './codeCache';

// One-shot runs parse with V8's baseline WebAssembly compiler only. By default V8 also recompiles the parser's
// hot functions with its optimising compiler in the background, and the process cannot exit before that is
// done: 150-250 ms of CPU and 50 MB for a one-file lint, and more CPU than it saves even on 50,000 statements
// (docs/benchmarks.md). The language server (`lsp`) runs long and keeps the default. (Set before the bundle is
// compiled: V8 checks its flags against the code cache's.)
const oneShot = process.argv[2] !== 'lsp';
if (oneShot) v8.setFlagsFromString('--liftoff-only');

const cli = loadBundle(path.join(__dirname, 'cli-main.js'), oneShot ? 'liftoff' : '');
void (cli.exports.runFromCommandLine as () => Promise<void>)().finally(() => cli.saveCache());
