/**
 * dist/cli.js, the `citus-rollups` command: sets V8's WebAssembly compiler and validation and its optimisation budget
 * (./v8Settings.ts), then runs the CLI bundle (dist/cli-main.js, src/cli/main.ts) with the code cache
 * (./codeCache.ts). In a worker thread (`lint` on several threads, src/cli/parallel.ts) it runs the worker.
 */
import * as path from 'node:path';
import { loadBundle } from './codeCache';
import { LINT_WORKER_ARG } from './lintWorker';
import { CLI_VARIANT, optimiseOnRicherFeedback, useBaselineWasmCompiler, validateWasmLazily, WASM_VARIANT } from './v8Settings';

if (!process.argv.includes(LINT_WORKER_ARG)) {
  useBaselineWasmCompiler();
  // `citus-rollups lsp` runs the language server in this process, with the server's settings
  const oneShot = process.argv[2] !== 'lsp';
  if (oneShot) {
    optimiseOnRicherFeedback();
    validateWasmLazily();
  }
  const cli = loadBundle(path.join(__dirname, 'cli-main.js'), oneShot ? CLI_VARIANT : WASM_VARIANT);
  // (lint's worker threads run this file too: src/cli/parallel.ts)
  void (cli.exports.runFromCommandLine as (workerScript: string) => Promise<void>)(__filename).finally(() => cli.saveCache());
} else {
  // a worker thread of `lint`: V8's flags are the process' (set above by the main thread), and so is the code cache
  const cli = loadBundle(path.join(__dirname, 'cli-main.js'), CLI_VARIANT);
  void (cli.exports.runLintWorker as () => Promise<void>)();
}
