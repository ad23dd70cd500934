#!/usr/bin/env node
/**
 * The `citus-rollups` command line. Exit codes: 0 no error-severity finding, 1 errors found,
 * 2 usage or I/O error (with a message on stderr).
 */
import { ConfigError, UsageError, type CliIO } from './project';
import { VERSION } from './version';
import { ParserLoadError } from '../core/parse/libpg';
import { LINT_WORKER_ARG } from '../launch/lintWorker';

export type { CliIO } from './project';

const USAGE = `Usage: citus-rollups <command> [options]

Commands:
  lint [--config FILE] [--rule ID=SEVERITY]... [--schema FILE]... [--catalog FILE]
       [--format text|json|sarif|github|gitlab|junit] [-o FILE] [--jobs N|auto]
       [--cache [--cache-location PATH]] (PATH... | --stdin [--stdin-filename PATH])
      Predict how Citus runs each INSERT..SELECT and report findings.
      PATH: files or directories (searched recursively for *.sql, *.psql, *.pgsql).
      The project config is the nearest citus-rollups.json upward from the paths (docs/config.md).
  scaffold rollup --source T --time-column C --granularity G [--dimension D]... --measure AGG...
      [--strategy time-window|sequence] [--schema FILE]... [-o FILE] [--format sql|json]
      Write a rollup script (co-located rollup table, incremental function) that pushes down.
  explain [--connection URL] [--line N] [--format text|json] [--analyze] [--set NAME=VALUE]... FILE
      EXPLAIN one statement on a live coordinator (rolled back): the real method next to the prediction.
  catalog dump [--connection URL] [-o FILE] [--require-citus]
      Write the metadata snapshot of a cluster (for --catalog and the extension, without a cluster).
  lsp --stdio
      Run the language server for any LSP client (Neovim, Helix, Zed, ...; docs/other-editors.md).

Run 'citus-rollups <command> --help' for a command's options.`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Each command's module is loaded when it runs (required here, not imported at the top): `lint` never
    // loads pg (explain and catalog do), which was a third of the start-up of a one-file lint. The bundle keeps
    // each module's code in a function until it is first required.
    switch (command) {
      case 'lint':
        return await (require('./lint') as typeof import('./lint')).runLint(rest, io);
      case 'scaffold':
        return await (require('./scaffold') as typeof import('./scaffold')).runScaffold(rest, io);
      case 'explain':
        return await (require('./explain') as typeof import('./explain')).runExplain(rest, io);
      case 'catalog':
        return await (require('./catalog') as typeof import('./catalog')).runCatalog(rest, io);
      case 'lsp':
        return await (require('./lsp') as typeof import('./lsp')).runLsp(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE + '\n');
        return command === undefined ? 2 : 0;
      case '--version':
        io.stdout(`${VERSION}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`citus-rollups: ${(e as Error).message}\n${(command && command !== 'lint') || e instanceof ConfigError ? '' : "Run 'citus-rollups --help' for usage.\n"}`);
      return 2;
    }
    if (e instanceof ParserLoadError) {
      io.stderr(`citus-rollups: ${e.message}; reinstalling citus-rollups restores it\n`);
      return 2;
    }
    io.stderr(`citus-rollups: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

/** The `citus-rollups` process: the command line, standard input and output, the exit code. */
export async function runFromCommandLine(workerScript?: string): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2), {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
      readStdin: readAll,
      workerScript,
    });
  } catch (e) {
    process.stderr.write(`citus-rollups: ${String(e)}\n`);
    process.exitCode = 2;
  }
}

/** A worker thread of `lint` (./parallel.ts), started by this bundle's launcher (dist/cli.js) or the bundle itself. */
export function runLintWorker(): Promise<void> {
  return (require('./parallel') as typeof import('./parallel')).runLintWorker();
}

// run directly (dist/cli-main.js; dist/cli.js runs it through src/launch/cli.ts)
if (require.main === module) {
  if (process.argv.includes(LINT_WORKER_ARG)) void runLintWorker();
  else void runFromCommandLine(__filename);
}

function readAll(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}
