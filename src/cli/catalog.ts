/**
 * `citus-rollups catalog dump --connection URL [-o FILE]`: reads the distribution metadata of a coordinator
 * (or every table of a plain PostgreSQL database, as local tables) and writes the snapshot file that
 * `lint --catalog` and the extension read without a cluster.
 */
import { parseArgs } from 'node:util';
import { connect, DbError, requireCitus, resolveConnection, type Session } from '../db/connection';
import { readMetadata } from '../db/metadata';
import { UsageError, writeOutput, type CliIO } from './project';

const HELP = `Usage: citus-rollups catalog dump [--connection URL] [-o FILE] [--require-citus]

Writes the metadata snapshot (docs/snapshot-format.md) of the database: tables, columns, keys, defaults,
distribution columns, colocation groups, distributed schemas, sequences and Citus settings. Read-only.

  --connection URL  postgres://user@host:port/db?sslmode=...; without it the PG* environment variables
                    apply. The password comes from the URL, PGPASSWORD or ~/.pgpass.
  -o FILE           write to FILE instead of stdout
  --require-citus   fail (exit 2) when the database has no Citus extension

Exit status: 0 written, 2 connection or usage error.`;

export async function runCatalog(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.stdout(HELP + '\n');
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'dump') throw new UsageError(`unknown catalog command '${sub}' (expected 'dump')`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      connection: { type: 'string', short: 'c' },
      output: { type: 'string', short: 'o' },
      'require-citus': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP + '\n');
    return 0;
  }
  if (positionals.length) throw new UsageError(`catalog dump takes no file arguments (got ${positionals.join(' ')}); use -o FILE`);
  let session: Session | undefined;
  try {
    session = await connect(await resolveConnection({ uri: values.connection }));
    if (values['require-citus']) requireCitus(session);
    const md = await readMetadata(session);
    const json = JSON.stringify(md.snapshot, null, 2) + '\n';
    if (values.output) {
      writeOutput(values.output, json);
      const citus = md.citusVersion ? `Citus ${md.citusVersion}, ${md.workerCount} worker(s)` : 'plain PostgreSQL (all tables local)';
      io.stderr(`wrote ${values.output}: ${md.snapshot.tables.length} tables, ${md.snapshot.colocationGroups.length} colocation groups (${citus})\n`);
    } else io.stdout(json);
    return 0;
  } catch (e) {
    if (e instanceof DbError) {
      io.stderr(`citus-rollups: ${e.kind === 'usage' ? '' : `${e.kind}: `}${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await session?.close();
  }
}
