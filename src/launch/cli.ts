/**
 * dist/cli.js, the `citus-rollups` command: sets V8's WebAssembly compiler (./wasm.ts), then runs the CLI bundle
 * (dist/cli-main.js, src/cli/main.ts) with the code cache (./codeCache.ts).
 */
import * as path from 'node:path';
import { loadBundle } from './codeCache';
import { useBaselineWasmCompiler, WASM_VARIANT } from './wasm';

useBaselineWasmCompiler();
const cli = loadBundle(path.join(__dirname, 'cli-main.js'), WASM_VARIANT);
void (cli.exports.runFromCommandLine as () => Promise<void>)().finally(() => cli.saveCache());
