/**
 * Entry point of the bundled language server (dist/server.js). The transport comes from the command
 * line, as vscode-languageserver reads it: `--stdio`, `--node-ipc` or `--socket=N`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
  process.stderr.write('citus-rollups language server: start it with --stdio, --node-ipc or --socket=PORT\n');
  process.exit(2);
}
startServer(createConnection(ProposedFeatures.all));
