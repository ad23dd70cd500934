/**
 * The V8 settings the launchers (dist/cli.js, dist/server.js) make before anything else loads.
 *
 * V8's WebAssembly compiler for the parser, set by the launchers before anything loads the parser: the
 * baseline compiler only. By default V8 also recompiles the parser's hot functions with its optimising compiler
 * in background threads, which costs more than it saves here: a one-shot process cannot exit before those
 * compiles finish (150-250 ms of CPU and 50 MB for a one-file lint), a 50,000-statement lint spends more CPU
 * compiling than the faster code saves, and the language server parses one statement per keystroke (measured
 * in docs/benchmarks.md: less CPU to the first diagnostics, 30 MB less memory, the same edit latency).
 */
import * as v8 from 'node:v8';

/** The name of this setting in the code cache's file names (V8 rejects a cache made under other flags). */
export const WASM_VARIANT = 'liftoff';

export function useBaselineWasmCompiler(): void {
  v8.setFlagsFromString('--liftoff-only');
}

/**
 * For the one-shot CLI: V8 optimises a function once it has run for a while (its "interrupt budget"). The analysis
 * is many medium-sized functions, each run a few times per statement; with V8's default budget (67,584) they are
 * optimised early, on thin type feedback, and recompiled. Four and a half times that budget makes a 4,960-statement
 * lint take 0.79 -> 0.67 s and 1.15 -> 0.76 s of CPU (docs/benchmarks.md), with no change for a small file. The
 * language server keeps V8's default: it runs long, and its steady state is about 10% faster with it.
 */
export const CLI_VARIANT = `${WASM_VARIANT}-lazyval-budget300k`;

export function optimiseOnRicherFeedback(): void {
  v8.setFlagsFromString('--interrupt-budget=300000');
}

/**
 * For the one-shot CLI: each function of the parser is validated when V8 first compiles it (on its first call), not
 * all of them when the module is compiled. A one-file lint waits for that compile once the bundle has loaded: it
 * takes half as long (the 2 MB module: 10-13 -> 4-6 ms here; the lint's wait for the parser 23 -> 17 ms, paired
 * runs in docs/benchmarks.md). A file that is not a WebAssembly module is refused at once as before; the module is
 * the one we ship. The language server keeps eager validation: it compiles the module while its bundle loads
 * (./parserPreload.ts), off the way to its first diagnostics.
 */
export function validateWasmLazily(): void {
  v8.setFlagsFromString('--wasm-lazy-validation');
}
