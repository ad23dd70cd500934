/**
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
