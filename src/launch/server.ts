/**
 * dist/server.js, the language server the extension and `citus-rollups lsp` start: sets V8's WebAssembly
 * compiler (./v8Settings.ts), then runs the server bundle (dist/server-main.js, src/server/main.ts) with the code
 * cache (./codeCache.ts), saved once the server has done its first work.
 */
import * as path from 'node:path';
import { loadBundle } from './codeCache';
import { compileParserEarly } from './parserPreload';
import { useBaselineWasmCompiler, WASM_VARIANT } from './v8Settings';

useBaselineWasmCompiler();
compileParserEarly(__dirname);
const server = loadBundle(path.join(__dirname, 'server-main.js'), WASM_VARIANT);
// once the server has answered its first requests (their code is compiled by then), or when it exits
setTimeout(() => server.saveCache(), 2000).unref();
process.once('exit', () => server.saveCache());
