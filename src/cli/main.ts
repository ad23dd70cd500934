#!/usr/bin/env node
/**
 * The `citus-rollups` command line. Exit codes: 0 no error-severity finding, 1 errors found,
 * 2 usage or I/O error (with a message on stderr).
 */
import { runLint } from './lint';
import { runScaffold } from './scaffold';
import { runExplain } from './explain';
import { runCatalog } from './catalog';
import { UsageError } from './files';
import { VERSION } from './version';

const USAGE = `Usage: citus-rollups <command> [options]

Commands:
  lint [--schema FILE]... [--catalog FILE] [--format text|json|sarif] [-o FILE] PATH...
      Predict how Citus runs each INSERT..SELECT and report findings.
      PATH: files or directories (searched recursively for *.sql, *.psql, *.pgsql).
      --schema FILE   DDL that only feeds the table model (not reported); repeatable.
      --catalog FILE  a metadata snapshot (see docs/snapshot-format.md).
  scaffold rollup --source T --time-column C --granularity G [--dimension D]... --measure AGG...
      [--strategy time-window|sequence] [--schema FILE]... [-o FILE] [--format sql|json]
      Write a rollup script (co-located rollup table, incremental function) that pushes down.
  explain [--connection URL] [--line N] [--format text|json] [--analyze] [--set NAME=VALUE]... FILE
      EXPLAIN one statement on a live coordinator (rolled back): the real method next to the prediction.
  catalog dump [--connection URL] [-o FILE] [--require-citus]
      Write the metadata snapshot of a cluster (for --catalog and the extension, without a cluster).

Run 'citus-rollups <command> --help' for a command's options.`;

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return await runLint(rest, io);
      case 'scaffold':
        return await runScaffold(rest, io);
      case 'explain':
        return await runExplain(rest, io);
      case 'catalog':
        return await runCatalog(rest, io);
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
      io.stderr(`citus-rollups: ${(e as Error).message}\n${command && command !== 'lint' ? '' : "Run 'citus-rollups --help' for usage.\n"}`);
      return 2;
    }
    io.stderr(`citus-rollups: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`citus-rollups: ${String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
