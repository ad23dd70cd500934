/**
 * Entry point of the bundled language server (dist/server.js). The transport comes from the command
 * line, as vscode-languageserver reads it: `--stdio`, `--node-ipc` or `--socket=N`.
 */
import { format } from 'node:util';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Connection } from 'vscode-languageserver/node';
import { diagnosticsEncoder } from './encoder';
import { startServer } from './server';

if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
  process.stderr.write('citus-rollups language server: start it with --stdio, --node-ipc or --socket=PORT\n');
  process.exit(2);
}
startServer(process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all));

/**
 * Over stdio the connection is made here, to give its writer the encoder that reuses each diagnostic's bytes
 * (./encoder.ts). vscode-languageserver, given streams rather than `--stdio`, leaves two things undone that it
 * does for `--stdio`, so they are done here: the process ends when stdin closes (0 after a shutdown request, 1
 * otherwise), and `console` writes go to the client's log, never into the protocol on stdout.
 */
function stdioConnection(): Connection {
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(process.stdin),
    new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: diagnosticsEncoder() }),
  );
  let shutdown = false;
  connection.onShutdown(() => {
    shutdown = true;
  });
  const end = (): never => process.exit(shutdown ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  return connection;
}
