/** `citus-rollups scaffold rollup`: writes a rollup script for a distributed table of the schema. */
import { parseArgs } from 'node:util';
import { loadParser } from '../core/parse/libpg';
import { generateRollup, RollupError, type Strategy } from '../core/rollup/generate';
import { MeasureSyntaxError, parseMeasure } from '../core/rollup/measures';
import { resolveRegclass } from '../core/schema/ddl';
import { displayName } from '../core/schema/model';
import { configFor, loadBaseModel, projectFiles, readText, UsageError, writeOutput, type CliIO } from './project';
import { applyDocumentDdl } from '../core/workspace';

const HELP = `Usage: citus-rollups scaffold rollup --source TABLE --time-column COL --granularity G
         [--dimension COL]... --measure AGG... [--strategy time-window|sequence]
         [--schema FILE]... [--catalog FILE] [--config FILE] [--format sql|json] [-o FILE] [options]

Writes one SQL script that creates a rollup of TABLE, co-located with it, the index its runs need, and
the function that rolls it up incrementally (every INSERT..SELECT it contains is pushed down by Citus).
Run it with psql -f or as one transaction (psql -1); it stops, changing nothing, if the rollup's name
belongs to another rollup (another strategy, window, buckets or measures: choose --name).

  --source TABLE          the hash-distributed table to roll up ([schema.]name)
  --time-column COL       the event time column (timestamp, timestamptz or date)
  --granularity G         minute, hour, day, week, month, or an interval such as '15 minutes'
  --dimension COL         a column to group by (repeatable); the distribution column is always one
  --measure AGG           count(*), count(col), sum(col), min(col), max(col), avg(col),
                          count(distinct col) (needs --hll); optionally 'AS name' (repeatable)
  --strategy S            time-window (default) or sequence (exactly once; needs a bigserial/identity id)
  --name NAME             rollup table name (default <source>_<daily|hourly|...>)
  --target-schema S       schema of the created objects (default: the source's schema)
  --lag INTERVAL          time window: allowance for in-flight rows (default '1 minute')
  --ingestion-time-column COL  time window: window on this arrival-time column instead
  --id-column COL         sequence window: the id column (default: the one serial/identity column)
  --hll                   store count(distinct col) as HyperLogLog sketches (hll extension)
  --cron SCHEDULE         add a pg_cron job, e.g. '* * * * *'
  --no-backfill           do not roll up the rows already in the source on the first run
  --time-zone TZ          bucket time zone for timestamptz columns (default UTC)
  --schema FILE           DDL that builds the table model (repeatable)
  --catalog FILE          a metadata snapshot (see docs/snapshot-format.md)
  --config FILE           the project config (default: the nearest citus-rollups.json upward from the
                          current folder); without --schema and --catalog, the model is the project's:
                          its snapshot, settings, schema files and the DDL of its SQL files
  --format sql|json       json prints {"script", "rollupTable", "runStatement"}
  -o FILE                 write to FILE instead of standard output`;

export async function runScaffold(args: string[], io: CliIO): Promise<number> {
  const [what, ...rest] = args;
  if (what === undefined || what === '-h' || what === '--help') {
    io.stdout(HELP + '\n');
    return what === undefined ? 2 : 0;
  }
  if (what !== 'rollup') throw new UsageError(`unknown scaffold '${what}' (only 'scaffold rollup' exists)`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      'time-column': { type: 'string' },
      granularity: { type: 'string' },
      dimension: { type: 'string', multiple: true, default: [] },
      measure: { type: 'string', multiple: true, default: [] },
      strategy: { type: 'string', default: 'time-window' },
      name: { type: 'string' },
      'target-schema': { type: 'string' },
      lag: { type: 'string' },
      'ingestion-time-column': { type: 'string' },
      'id-column': { type: 'string' },
      hll: { type: 'boolean', default: false },
      cron: { type: 'string' },
      'no-backfill': { type: 'boolean', default: false },
      'time-zone': { type: 'string' },
      schema: { type: 'string', multiple: true, default: [] },
      catalog: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string', default: 'sql' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP + '\n');
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const format = values.format ?? 'sql';
  if (format !== 'sql' && format !== 'json') throw new UsageError(`--format must be sql or json (got '${format}')`);
  for (const required of ['source', 'time-column', 'granularity'] as const) {
    if (!values[required]) throw new UsageError(`scaffold rollup needs --${required}`);
  }
  if ((values.measure ?? []).length === 0) throw new UsageError("scaffold rollup needs at least one --measure, e.g. --measure 'count(*)'");
  const strategy = values.strategy as Strategy;
  if (strategy !== 'time-window' && strategy !== 'sequence') throw new UsageError(`--strategy must be time-window or sequence (got '${values.strategy}')`);
  const fromProject = (values.schema ?? []).length === 0 && !values.catalog;
  const config = fromProject ? configFor([process.cwd()], values.config) : values.config ? configFor([], values.config) : undefined;
  if (fromProject && !config) {
    throw new UsageError('give the schema the source table is defined in: --schema FILE (DDL with create_distributed_table), --catalog FILE, or a citus-rollups.json project config');
  }

  await loadParser();
  const model = loadBaseModel({ config, catalog: values.catalog, schemaFiles: values.schema ?? [] });
  if (fromProject && config) for (const f of projectFiles(config)) applyDocumentDdl(model, { source: f, text: readText(f) });
  const source = resolveRegclass(values.source as string, model, ['public']);
  if (!source) {
    const known = [...model.tables.values()].filter((t) => t.kind === 'hash').map(displayName);
    throw new UsageError(
      `unknown table '${values.source}' in the given schema${known.length ? ` (hash-distributed tables: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', ...' : ''})` : ' (it has no hash-distributed table)'}`,
    );
  }
  let result;
  try {
    result = generateRollup(
      {
        source,
        timeColumn: values['time-column'] as string,
        granularity: values.granularity as string,
        dimensions: values.dimension ?? [],
        measures: (values.measure ?? []).map(parseMeasure),
        strategy,
        name: values.name,
        schema: values['target-schema'],
        lag: values.lag,
        ingestionTimeColumn: values['ingestion-time-column'],
        idColumn: values['id-column'],
        hll: values.hll,
        cronSchedule: values.cron,
        backfill: !values['no-backfill'],
        timeZone: values['time-zone'],
      },
      model,
    );
  } catch (e) {
    if (e instanceof RollupError || e instanceof MeasureSyntaxError) throw new UsageError(e.message);
    throw e;
  }
  const output =
    format === 'json'
      ? JSON.stringify({ script: result.script, rollupTable: result.rollupTable, runStatement: result.runStatement, functionName: result.functionName, viewName: result.viewName ?? null }, null, 2) + '\n'
      : result.script;
  if (values.output) writeOutput(values.output, output);
  else io.stdout(output);
  return 0;
}
