/**
 * Starts compiling the parser's WebAssembly before the bundle loads. The language server's launcher calls this
 * first: V8 decodes and compiles the module (lazily: each function is compiled on its first call) on its background
 * threads while the main thread evaluates the bundle, and the parser's loader (@libpg-query/parser, whose Emscripten
 * factory is given `globalThis.__citusRollupsParserModule` by scripts/build.mjs) instantiates that module instead of
 * reading and compiling the file after the bundle has loaded. Measured in docs/benchmarks.md: the parser is ready
 * about 5 ms sooner, and so are a newly started server's first diagnostics. (Compiling every function up front
 * costs 20 ms of the two cores' time and made the first diagnostics later; the one-shot CLI gains nothing here.)
 *
 * Nothing here may keep the parser from loading: when the file cannot be read the loader reads it itself, and when
 * the early compile fails the hook compiles the bytes again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The part of WebAssembly's API used here (the DOM library, where TypeScript declares it, is not in this build). */
interface WasmModule {
  readonly __wasmModule: unique symbol;
}
interface WasmInstance {
  exports: Record<string, unknown>;
}
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
};

/**
 * Emscripten's hook: instantiate the module with `imports`, hand the instance to `receive`. Emscripten gives the hook
 * no way to fail; `failed` rejects when it does, and the parser's loader (src/core/parse/libpg.ts) races it.
 */
export interface EmscriptenModuleArg {
  instantiateWasm(imports: object, receive: (instance: WasmInstance, module: WasmModule) => void): object;
  failed: Promise<never>;
}

declare global {
  var __citusRollupsParserModule: EmscriptenModuleArg | undefined;
}

/** Starts compiling `dir`/libpg-query.wasm, and hands the parser's loader the hook that will use it. */
export function compileParserEarly(dir: string): void {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(dir, 'libpg-query.wasm'));
  } catch {
    return;
  }
  const compiled = WebAssembly.compile(bytes);
  compiled.catch(() => undefined); // handled when the loader asks for the module
  let fail: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // the loader's race reports it
  globalThis.__citusRollupsParserModule = {
    failed,
    instantiateWasm(imports, receive) {
      compiled
        .catch(() => WebAssembly.compile(bytes))
        .then(async (module) => receive(await WebAssembly.instantiate(module, imports), module))
        .catch(fail);
      return {};
    },
  };
}
