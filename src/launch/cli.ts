/**
 * dist/cli.js, the `citus-rollups` command: sets V8's WebAssembly compiler and optimisation budget
 * (./v8Settings.ts), then runs the CLI bundle (dist/cli-main.js, src/cli/main.ts) with the code cache
 * (./codeCache.ts).
 */
import * as path from 'node:path';
import { loadBundle } from './codeCache';
import { CLI_VARIANT, optimiseOnRicherFeedback, useBaselineWasmCompiler, WASM_VARIANT } from './v8Settings';

useBaselineWasmCompiler();
// `citus-rollups lsp` runs the language server in this process, with the server's settings
const oneShot = process.argv[2] !== 'lsp';
if (oneShot) optimiseOnRicherFeedback();
const cli = loadBundle(path.join(__dirname, 'cli-main.js'), oneShot ? CLI_VARIANT : WASM_VARIANT);
void (cli.exports.runFromCommandLine as () => Promise<void>)().finally(() => cli.saveCache());
