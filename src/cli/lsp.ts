/**
 * `citus-rollups lsp --stdio`: the language server for any LSP client (Neovim, Helix, Zed, Emacs, ...). It runs
 * the same bundle the VS Code extension starts (dist/server.js, beside dist/cli.js), in this process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, type CliIO } from './project';

const TRANSPORTS = /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/;

const HELP = `Usage: citus-rollups lsp --stdio

Runs the Citus Rollups language server on standard input and output (or --node-ipc, --socket=PORT,
--pipe=NAME). Settings come from citus-rollups.json (docs/config.md) and, when the client supports
workspace/configuration, from the client's "citusRollups" section. Setup for Neovim, Helix and others:
docs/other-editors.md.`;

export function runLsp(args: string[], io: CliIO, bundleDir: string = __dirname): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout(HELP + '\n');
    return Promise.resolve(0);
  }
  const unknown = args.filter((a) => !TRANSPORTS.test(a) && !a.startsWith('--clientProcessId'));
  if (unknown.length) throw new UsageError(`lsp: unknown argument '${unknown[0]}' (start it with --stdio)`);
  if (!args.some((a) => TRANSPORTS.test(a))) throw new UsageError('lsp needs a transport: citus-rollups lsp --stdio');
  const server = path.join(bundleDir, 'server.js');
  if (!fs.existsSync(server)) throw new UsageError(`lsp: the language server bundle ${server} is missing (run npm run build)`);
  // the server reads its transport from process.argv (vscode-languageserver's createConnection), which holds
  // these arguments; it keeps the process alive until the client sends exit
  require(server);
  return new Promise<number>(() => undefined);
}
