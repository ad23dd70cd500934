/**
 * dist/server.js, the language server the extension and `citus-rollups lsp` start: runs the server bundle
 * (dist/server-main.js, src/server/main.ts) with the code cache (./codeCache.ts), saved once the server has
 * started and done its first work.
 */
import * as path from 'node:path';
import { loadBundle } from './codeCache';

const server = loadBundle(path.join(__dirname, 'server-main.js'));
setTimeout(() => server.saveCache(), 5000).unref();
