/**
 * The rollup generator: a source table from the schema model + time column, granularity, dimensions,
 * measures and a strategy -> one commented SQL script that creates a co-located rollup table, a
 * bookkeeping table and an incremental rollup function whose INSERT..SELECT Citus pushes down, and
 * that merges measures correctly on conflict. Pure: no I/O.
 *
 * The shape follows the rules note §10 (time window after Citus' `compute_daily_view_counts`, sequence
 * window after the `incremental_rollup_window` technique) and §9 (upserts on distributed tables).
 */
import { findColumn, type ColumnModel, type SchemaModel, type TableModel } from '../schema/model';
import { commentLines, definitionText, guardLines, literal, sequenceLookup, transactionModeLines, windowIndexLines, windowIndexName } from './install';
import { hllHashFunction, isSummable, measureText, sumType, type MeasureSpec } from './measures';

export { literal } from './install';

export type Strategy = 'time-window' | 'sequence';

export type NamedGranularity = 'minute' | 'hour' | 'day' | 'week' | 'month';

export interface RollupRequest {
  source: TableModel;
  /** the event time column the buckets come from */
  timeColumn: string;
  /** minute, hour, day, week, month, or a PostgreSQL interval such as `15 minutes` */
  granularity: string;
  dimensions: string[];
  measures: MeasureSpec[];
  strategy: Strategy;
  /** schema of the created objects (default: the source table's schema) */
  schema?: string;
  /** rollup table name (default: `<source>_<granularity>`, e.g. `page_views_daily`) */
  name?: string;
  /** time window: allowance for in-flight rows (a PostgreSQL interval, default `1 minute`) */
  lag?: string;
  /** a pg_cron schedule (`* * * * *`); no cron.schedule call when absent */
  cronSchedule?: string;
  /** time window: filter the window on this column (the row's arrival time) instead of the time column */
  ingestionTimeColumn?: string;
  /** sequence window: the id column (default: the source's one serial/identity column) */
  idColumn?: string;
  /** store count(distinct x) as HLL sketches (needs the hll extension) */
  hll?: boolean;
  /** first run rolls up the rows already in the source (default true); false starts from now */
  backfill?: boolean;
  /** time zone of the buckets for timestamptz time columns (default UTC) */
  timeZone?: string;
}

export interface RollupScript {
  script: string;
  /** qualified rollup table name */
  rollupTable: string;
  /** qualified name of the incremental function */
  functionName: string;
  /** SQL that rolls up one increment (the first call also backfills) */
  runStatement: string;
  /** the view that reads averages and distinct counts, when there is one */
  viewName?: string;
  /** the INSERT..SELECT statement(s) the script runs, as written in the script */
  insertSelects: string[];
  /** candidates for an ingestion-time column (time window) */
  ingestionCandidates: string[];
  /** the index on the source the script creates when no usable one exists (`schema.name`) */
  indexName: string;
  /** what the rollup is, as stored in its bookkeeping row (the install guard compares it) */
  definition: string;
  /** things the user should know (also written in the script's comments) */
  notes: string[];
}

export class RollupError extends Error {}

const GRANULARITY_WORDS: Record<NamedGranularity, string> = {
  minute: 'minutely',
  hour: 'hourly',
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
};

const TIME_TYPES = new Set(['timestamp without time zone', 'timestamp with time zone', 'date']);

const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column ' +
    'concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze ' +
    'from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit ' +
    'localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references ' +
    'returning right select session_user similar some symmetric system_user table tablesample then to trailing true union ' +
    'unique user using variadic verbose when where window with'
  ).split(' '),
);

/** Quotes an identifier when PostgreSQL needs it. */
export function ident(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/** An interval text a user gave (`15 minutes`, `1 hour`): accepted only in PostgreSQL's plain interval syntax. */
function checkInterval(text: string, what: string): string {
  const t = text.trim();
  if (!/^(\d+(\.\d+)?\s*(microseconds?|milliseconds?|seconds?|secs?|s|minutes?|mins?|m|hours?|h|days?|d|weeks?|w|months?|mons?|years?|y)\s*)+$/i.test(t)) {
    throw new RollupError(`${what} '${text}' is not an interval such as '30 seconds', '15 minutes', '1 hour' or '2 days'`);
  }
  return t;
}

interface RollupColumn {
  name: string;
  type: string;
  /** expression in the SELECT list (over the source) */
  expr: string;
  /** DO UPDATE SET right-hand side; `T` stands for the rollup table name */
  merge?: (t: string, c: string) => string;
  /** comment in CREATE TABLE */
  comment?: string;
}

interface ViewColumn {
  name: string;
  expr: string;
}

/** The rollup's default name: `<source>_<daily|hourly|...>`, `<source>_rollup` for other intervals. */
export function defaultRollupName(sourceName: string, granularity: string): string {
  const g = granularity.trim().toLowerCase();
  const named = (Object.keys(GRANULARITY_WORDS) as NamedGranularity[]).find((k) => k === g || GRANULARITY_WORDS[k] === g);
  return `${sourceName}_${named ? GRANULARITY_WORDS[named] : 'rollup'}`;
}

/** Why a rollup name cannot be used, or undefined when it can (it names the table, the function and the index of the key). */
export function checkRollupName(name: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name.length <= 50 ? undefined : `rollup name '${name}' must be a plain identifier of at most 50 characters`;
}

/** Candidate ingestion-time columns: other timestamp columns that default to the insert time. */
export function ingestionCandidates(source: TableModel, timeColumn: string): string[] {
  return source.columns
    .filter((c) => c.name !== timeColumn && TIME_TYPES.has(c.type) && c.type !== 'date' && (c.defaultKind === 'stable' || c.defaultKind === 'volatile'))
    .map((c) => c.name);
}

/** The serial/identity columns of a table (candidates for the sequence window). */
export function sequenceColumns(source: TableModel): ColumnModel[] {
  return source.columns.filter((c) => c.defaultKind === 'sequence' || c.defaultKind === 'identity');
}

function requireColumn(source: TableModel, name: string, role: string): ColumnModel {
  const col = findColumn(source, name);
  if (!col) {
    const names = source.columns.map((c) => c.name).join(', ');
    throw new RollupError(`${role} '${name}' is not a column of ${source.schema}.${source.name} (columns: ${names})`);
  }
  return col;
}

/** Checks that the source can feed a rollup that pushes down, and explains why not. */
export function checkSource(source: TableModel): void {
  const name = `${source.schema}.${source.name}`;
  switch (source.kind) {
    case 'hash':
      if (!source.distributionColumn) throw new RollupError(`${name} is hash-distributed but its distribution column is unknown`);
      return;
    case 'local':
      throw new RollupError(
        `${name} is not distributed: a rollup of a plain PostgreSQL table runs on the coordinator alone and Citus has nothing to push down. ` +
          `Distribute it first (SELECT create_distributed_table('${name}', '<column>');), or make sure the schema given with --schema/--catalog contains that call.`,
      );
    case 'reference':
      throw new RollupError(`${name} is a reference table (one copy on every node): there is no distribution column to co-locate a rollup with. Roll up the hash-distributed table that references it.`);
    case 'citus_local':
      throw new RollupError(`${name} is a Citus local table (coordinator only): an INSERT..SELECT from it into a distributed rollup is pulled to the coordinator. Distribute it with create_distributed_table first.`);
    case 'single_shard':
      throw new RollupError(`${name} is a single-shard (schema-based sharding) table: it has no distribution column, so a scaffolded co-located rollup would not be spread over the cluster. Use a hash-distributed source.`);
    case 'range':
    case 'append':
      throw new RollupError(`${name} is ${source.kind}-distributed; the generator only writes rollups for hash-distributed tables (create_distributed_table's default).`);
    case 'view':
    case 'matview':
      throw new RollupError(`${name} is a ${source.kind === 'view' ? 'view' : 'materialized view'}, not a table; roll up the distributed table it reads.`);
  }
}

export function generateRollup(req: RollupRequest, model?: SchemaModel): RollupScript {
  const source = req.source;
  checkSource(source);
  const distCol = requireColumn(source, source.distributionColumn as string, 'distribution column');
  const timeCol = requireColumn(source, req.timeColumn, 'time column');
  if (!TIME_TYPES.has(timeCol.type)) {
    throw new RollupError(`time column '${timeCol.name}' has type ${timeCol.type}; it must be a timestamp, timestamptz or date`);
  }
  const schema = req.schema ?? source.schema;
  const sourceName = qualified(source.schema, source.name);
  const sourceText = `${source.schema}.${source.name}`;
  const lag = checkInterval(req.lag ?? '1 minute', 'lag');
  const tz = req.timeZone ?? 'UTC';
  const notes: string[] = [];

  // ---- granularity and bucket
  const g = req.granularity.trim().toLowerCase();
  const named = (Object.keys(GRANULARITY_WORDS) as NamedGranularity[]).find((k) => k === g || GRANULARITY_WORDS[k] === g);
  const interval = named ? undefined : checkInterval(req.granularity, 'granularity');
  const base = timeCol.type === 'timestamp with time zone' ? `(${ident(timeCol.name)} AT TIME ZONE ${literal(tz)})` : ident(timeCol.name);
  let bucketExpr: string;
  let bucketType: string;
  if (timeCol.type === 'date') {
    if (interval || named === 'minute' || named === 'hour') {
      throw new RollupError(`time column '${timeCol.name}' is a date: use granularity day, week or month`);
    }
    bucketType = 'date';
    bucketExpr = named === 'day' ? ident(timeCol.name) : `date_trunc(${literal(named as string)}, ${ident(timeCol.name)})::date`;
  } else if (named === 'day') {
    bucketType = 'date';
    bucketExpr = `${base}::date`;
  } else if (named) {
    bucketType = 'timestamp';
    bucketExpr = `date_trunc(${literal(named)}, ${base})`;
  } else {
    bucketType = 'timestamp';
    bucketExpr = `date_bin(${literal(interval as string)}, ${base}, TIMESTAMP '2000-01-01')`;
  }
  if (timeCol.type === 'timestamp with time zone') notes.push(`Buckets are computed in time zone ${tz} (${timeCol.name} is a timestamptz).`);

  // ---- dimensions
  const dims: ColumnModel[] = [];
  for (const d of req.dimensions) {
    const col = requireColumn(source, d, 'dimension');
    if (col.name === distCol.name || dims.some((x) => x.name === col.name)) continue;
    dims.push(col);
  }
  let bucketName = named && named !== 'week' && named !== 'month' ? named : named ?? 'bucket';
  if (bucketName === 'week' || bucketName === 'month') bucketName = `${bucketName}_start`;
  if ([distCol.name, ...dims.map((d) => d.name)].includes(bucketName)) bucketName = 'time_bucket';

  // ---- measures
  if (req.measures.length === 0) throw new RollupError('give at least one measure, e.g. count(*)');
  const measureCols: RollupColumn[] = [];
  const viewCols: ViewColumn[] = [];
  const addColumn = (c: RollupColumn): void => {
    const existing = measureCols.find((m) => m.name === c.name);
    if (existing) {
      if (existing.expr !== c.expr) throw new RollupError(`two measures would both be stored in column '${c.name}'; name one with AS`);
      return;
    }
    if ([distCol.name, bucketName, ...dims.map((d) => d.name)].includes(c.name)) throw new RollupError(`measure column '${c.name}' collides with a key column; name it with AS`);
    measureCols.push(c);
  };
  const add = (t: string, c: string): string => `${t}.${c} + EXCLUDED.${c}`;
  const addNullable = (t: string, c: string): string => `COALESCE(${t}.${c} + EXCLUDED.${c}, ${t}.${c}, EXCLUDED.${c})`;
  let needsHll = false;
  for (const m of req.measures) {
    const col = m.column === undefined ? undefined : requireColumn(source, m.column, `column of ${measureText(m)}`);
    const cname = col ? ident(col.name) : '*';
    switch (m.fn) {
      case 'count':
        addColumn({ name: m.as ?? (col ? `${col.name}_count` : 'row_count'), type: 'bigint', expr: `count(${cname})`, merge: add });
        break;
      case 'sum':
        if (!isSummable(col!.type)) throw new RollupError(`sum(${col!.name}): ${col!.name} has type ${col!.type}, which sum() does not accept`);
        addColumn({ name: m.as ?? `${col!.name}_sum`, type: sumType(col!.type), expr: `sum(${cname})`, merge: addNullable });
        break;
      case 'min':
      case 'max': {
        const fn = m.fn === 'min' ? 'LEAST' : 'GREATEST';
        addColumn({ name: m.as ?? `${col!.name}_${m.fn}`, type: col!.type, expr: `${m.fn}(${cname})`, merge: (t, c) => `${fn}(${t}.${c}, EXCLUDED.${c})` });
        break;
      }
      case 'avg': {
        if (!isSummable(col!.type)) throw new RollupError(`avg(${col!.name}): ${col!.name} has type ${col!.type}, which avg() does not accept`);
        const s = `${col!.name}_sum`;
        const n = `${col!.name}_count`;
        addColumn({ name: s, type: sumType(col!.type), expr: `sum(${cname})`, merge: addNullable, comment: `with ${n}: avg(${col!.name}) = ${s} / ${n}` });
        addColumn({ name: n, type: 'bigint', expr: `count(${cname})`, merge: add });
        const numeric = col!.type === 'interval' || col!.type === 'money' ? ident(s) : `${ident(s)}::numeric`;
        viewCols.push({ name: m.as ?? `${col!.name}_avg`, expr: `${numeric} / NULLIF(${ident(n)}, 0)` });
        break;
      }
      case 'count_distinct': {
        if (!req.hll) {
          throw new RollupError(
            `count(distinct ${col!.name}) cannot be rolled up incrementally as an exact number: two windows can contain the same ${col!.name}, ` +
              `so adding their distinct counts double-counts it and nothing stored in a row can tell. Choose the hll option (HyperLogLog sketches, ` +
              `merged with hll_union; about 2% error; needs the hll extension), or make ${col!.name} a dimension and count rows when reading.`,
          );
        }
        needsHll = true;
        const h = m.as ? `${m.as}_hll` : `${col!.name}_hll`;
        addColumn({
          name: h,
          type: 'hll',
          expr: `hll_add_agg(${hllHashFunction(col!.type)}(${cname}))`,
          merge: (t, c) => `hll_union(${t}.${c}, EXCLUDED.${c})`,
          comment: `HyperLogLog sketch of ${col!.name}; hll_cardinality(${h}) estimates count(distinct ${col!.name})`,
        });
        viewCols.push({ name: m.as ?? `${col!.name}_distinct`, expr: `hll_cardinality(${ident(h)})::bigint` });
        break;
      }
    }
  }

  // ---- names
  const rollupName = req.name ?? defaultRollupName(source.name, req.granularity);
  const badName = checkRollupName(rollupName);
  if (badName) throw new RollupError(badName);
  const rollupTable = qualified(schema, rollupName);
  const rollupText = `${schema}.${rollupName}`;
  const fnName = qualified(schema, `rollup_${rollupName}`);
  const viewName = viewCols.length > 0 ? qualified(schema, `${rollupName}_view`) : undefined;
  const bookkeeping = qualified(schema, 'citus_rollups');
  const t = ident(rollupName); // how the ON CONFLICT SET refers to the target
  const keyCols = [distCol.name, bucketName, ...dims.map((d) => d.name)];
  const nullableDims = dims.filter((d) => !d.notNull).map((d) => d.name);

  if (model) {
    const existing = model.get(schema, rollupName);
    if (existing) {
      const wanted = [...keyCols, ...measureCols.map((m) => m.name)];
      const same = existing.columns.length === wanted.length && wanted.every((n, i) => existing.columns[i]?.name === n);
      if (!same) throw new RollupError(`${rollupText} already exists with other columns (${existing.columns.map((c) => c.name).join(', ')}); choose another name`);
    }
  }

  // ---- strategy specifics
  const candidates = ingestionCandidates(source, timeCol.name);
  let windowCol = timeCol;
  let idCol: ColumnModel | undefined;
  let sequenceExpr = '';
  if (req.strategy === 'time-window') {
    if (req.ingestionTimeColumn) {
      windowCol = requireColumn(source, req.ingestionTimeColumn, 'ingestion-time column');
      if (!TIME_TYPES.has(windowCol.type)) throw new RollupError(`ingestion-time column '${windowCol.name}' has type ${windowCol.type}; it must be a timestamp or timestamptz`);
    }
  } else if (req.strategy === 'sequence') {
    if (req.ingestionTimeColumn) throw new RollupError('an ingestion-time column only applies to the time-window strategy');
    if (req.idColumn) {
      idCol = requireColumn(source, req.idColumn, 'id column');
      if (idCol.defaultKind !== 'sequence' && idCol.defaultKind !== 'identity') {
        throw new RollupError(`id column '${idCol.name}' is not filled from a sequence (bigserial, DEFAULT nextval(...) or GENERATED ... AS IDENTITY): the sequence strategy reads the sequence's last value to find new rows`);
      }
    } else {
      const seqCols = sequenceColumns(source);
      if (seqCols.length !== 1) {
        throw new RollupError(
          seqCols.length === 0
            ? `the sequence strategy needs an id column filled from a sequence (bigserial or GENERATED ... AS IDENTITY); ${sourceText} has none. Add one, or use --strategy time-window`
            : `${sourceText} has several sequence columns (${seqCols.map((c) => c.name).join(', ')}); choose one with --id-column`,
        );
      }
      idCol = seqCols[0];
    }
    if (!['bigint', 'integer', 'smallint'].includes(idCol.type)) throw new RollupError(`id column '${idCol.name}' has type ${idCol.type}; the sequence strategy needs an integer id`);
    sequenceExpr = sequenceLookup(sourceName, idCol.name);
  } else {
    throw new RollupError(`unknown strategy '${String(req.strategy)}' (time-window or sequence)`);
  }

  // ---- the INSERT..SELECT
  const insertCols = [...keyCols, ...measureCols.map((m) => m.name)].map(ident);
  const selectItems = [ident(distCol.name), bucketExpr, ...dims.map((d) => ident(d.name)), ...measureCols.map((m) => m.expr)];
  const groupBy = [ident(distCol.name), bucketExpr, ...dims.map((d) => ident(d.name))];
  const where =
    req.strategy === 'sequence'
      ? `${ident(idCol!.name)} BETWEEN window_start AND window_end`
      : `${ident(windowCol.name)} >= window_start AND ${ident(windowCol.name)} < window_end`;
  const conflictTarget = keyCols.map(ident).join(', ');
  const sets = measureCols.map((m) => `${ident(m.name)} = ${m.merge!(t, ident(m.name))}`);
  const indent = (s: string, n: number): string => s.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
  const insertSelect = [
    `INSERT INTO ${rollupTable} (${insertCols.join(', ')})`,
    `  SELECT ${selectItems.join(',\n         ')}`,
    `  FROM ${sourceName}`,
    `  WHERE ${where}`,
    `  GROUP BY ${groupBy.join(', ')}`,
    `  ON CONFLICT (${conflictTarget}) DO UPDATE SET`,
    `    ${sets.join(',\n    ')}`,
  ].join('\n');

  // ---- the script
  const out: string[] = [];
  const stratTitle = req.strategy === 'sequence' ? 'sequence window (exactly once)' : `time window (lag ${lag})`;
  const bookkeepingText = `${schema}.citus_rollups`;
  const definition = definitionText({
    source: sourceText,
    window: req.strategy === 'sequence' ? `sequence window on ${idCol!.name}` : `time window on ${windowCol.name}`,
    bucket: bucketExpr,
    key: keyCols,
    measures: measureCols,
  });
  const indexCol = req.strategy === 'sequence' ? idCol! : windowCol;
  const indexName = windowIndexName(source.name, indexCol.name);
  out.push(
    `-- Rollup ${rollupText}: ${named ?? interval} buckets of ${sourceText}.${timeCol.name}`,
    `--   key:      ${keyCols.join(', ')}`,
    `--   measures: ${req.measures.map(measureText).join(', ')}`,
    `--   strategy: ${stratTitle}`,
    `-- Generated by citus-rollups. Run it statement by statement (psql -f) or as one transaction (psql -1 -f);`,
    `-- running it again is safe (IF NOT EXISTS / CREATE OR REPLACE / guards). Every name is schema-qualified:`,
    `-- the function works from any search_path.`,
    `-- Roll up one increment with: SELECT ${fnName}();  (the first call also rolls up the rows already in ${sourceText})`,
  );
  for (const n of notes) out.push(`-- ${n}`);
  out.push('', ...transactionModeLines());
  out.push(...guardLines({ bookkeeping, rollupKey: rollupText, rollupTable, columns: [...keyCols, ...measureCols.map((m) => m.name)], definition, functionName: fnName }));
  if (needsHll) {
    out.push('-- count(distinct ...) is stored as HyperLogLog sketches: the hll extension must be installed on every node.', 'CREATE EXTENSION IF NOT EXISTS hll;', '');
  }
  if (schema !== source.schema) out.push(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)};`, '');

  // rollup table
  out.push(
    `-- 1. The rollup table. Its distribution column ${distCol.name} comes first, is in the key, and has the`,
    `--    source's type (${distCol.type}), so the rollup can be co-located with ${sourceText} and every`,
    `--    INSERT..SELECT below runs on the shards in parallel (pushdown). No serial or volatile defaults:`,
    `--    they would force Citus to pull the rows to the coordinator.`,
  );
  const colDefs: string[] = [];
  colDefs.push(`${ident(distCol.name)} ${distCol.type} NOT NULL`);
  colDefs.push(`${ident(bucketName)} ${bucketType} NOT NULL`);
  for (const d of dims) colDefs.push(`${ident(d.name)} ${d.type}${d.notNull ? ' NOT NULL' : ''}`);
  for (const m of measureCols) colDefs.push(`${ident(m.name)} ${m.type}${m.comment ? ` -- ${m.comment}` : ''}`);
  let keyClause: string;
  if (nullableDims.length === 0) {
    keyClause = `PRIMARY KEY (${conflictTarget})`;
  } else {
    out.push(
      `--    ${nullableDims.join(', ')} can be NULL in ${sourceText}, and a PRIMARY KEY column cannot: the key is a`,
      `--    UNIQUE NULLS NOT DISTINCT constraint instead (PostgreSQL 15+), so NULL is one group, as in GROUP BY.`,
    );
    keyClause = `CONSTRAINT ${ident(`${rollupName}_key`)} UNIQUE NULLS NOT DISTINCT (${conflictTarget})`;
  }
  // trailing comments must not swallow the commas: put each comment after the comma
  const defs = [...colDefs, keyClause].map((d, i, all) => {
    const sep = i < all.length - 1 ? ',' : '';
    const k = d.indexOf(' -- ');
    return k >= 0 ? `  ${d.slice(0, k)}${sep}${d.slice(k)}` : `  ${d}${sep}`;
  });
  out.push(`CREATE TABLE IF NOT EXISTS ${rollupTable} (`, ...defs, ');', '');

  out.push(
    `-- 2. Distribute it on ${distCol.name}, co-located with ${sourceText} (same shards on the same nodes).`,
    `--    The WHERE NOT EXISTS guard makes this a no-op when the table is already distributed.`,
    `SELECT create_distributed_table(${literal(rollupTable)}, ${literal(distCol.name)}, colocate_with => ${literal(sourceName)})`,
    `WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = ${literal(rollupTable)}::regclass);`,
    '',
  );

  if (viewName) {
    out.push(
      `-- Read averages and distinct counts through this view: an average cannot be merged, so the table`,
      `-- stores sums and counts${needsHll ? ' and HLL sketches' : ''} and the view finishes the computation.`,
      `CREATE OR REPLACE VIEW ${viewName} AS`,
      `  SELECT ${[...keyCols.map(ident), ...measureCols.filter((m) => m.type !== 'hll').map((m) => ident(m.name)), ...viewCols.map((v) => `${v.expr} AS ${ident(v.name)}`)].join(',\n         ')}`,
      `  FROM ${rollupTable};`,
      '',
    );
  }

  // bookkeeping
  out.push(
    `-- 3. Bookkeeping: one row per rollup with how far it has rolled up, and what the rollup is (definition:`,
    `--    the guard above compares it). A plain table on the coordinator; the rollup function locks its row`,
    `--    (FOR UPDATE), so two runs that overlap take turns.`,
    `CREATE TABLE IF NOT EXISTS ${bookkeeping} (`,
    `  rollup_name text PRIMARY KEY,`,
    `  source_table regclass NOT NULL,`,
    `  last_aggregated_time timestamptz,`,
    `  last_aggregated_id bigint,`,
    `  definition text`,
    `);`,
  );
  const backfill = req.backfill !== false;
  const watermarkCol = req.strategy === 'time-window' ? 'last_aggregated_time' : 'last_aggregated_id';
  let start: string;
  if (req.strategy === 'time-window') {
    start = backfill ? `'-infinity'` : `now() - interval ${literal(lag)}`;
    out.push(
      backfill
        ? `-- The watermark starts at -infinity: the first run rolls up every row already in ${sourceText} (the backfill).`
        : `-- The watermark starts now: rows already in ${sourceText} are not rolled up (no backfill).`,
    );
  } else {
    start = backfill ? '0' : `COALESCE(pg_sequence_last_value(${sequenceExpr.replace(/\n/g, '\n  ')}), 0)`;
    out.push(
      backfill
        ? `-- last_aggregated_id starts at 0: the first run rolls up every row already in ${sourceText} (the backfill).`
        : `-- last_aggregated_id starts at the sequence's current value: rows already in ${sourceText} are not rolled up.`,
    );
  }
  out.push(
    `INSERT INTO ${bookkeeping} (rollup_name, source_table, ${watermarkCol}, definition)`,
    `VALUES (${literal(rollupText)}, ${literal(sourceName)}, ${start}, ${literal(definition)})`,
    `ON CONFLICT (rollup_name) DO UPDATE SET definition = EXCLUDED.definition WHERE citus_rollups.definition IS NULL;`,
    '',
  );

  // index
  out.push(`-- 4. The index on ${indexCol.name}.`);
  out.push(
    ...windowIndexLines({
      source: sourceName,
      sourceText,
      schemaSql: ident(source.schema),
      column: indexCol,
      columnSql: ident(indexCol.name),
      name: indexName,
      nameSql: ident(indexName),
      strategy: req.strategy,
    }),
  );

  // function
  // hll's functions live in the schema the extension was created in; the function keeps the search_path of
  // the session that installed it (where CREATE TABLE found the hll type), whoever calls it
  const fnOptions = needsHll ? `RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $rollup$` : `RETURNS void LANGUAGE plpgsql AS $rollup$`;
  if (req.strategy === 'time-window') {
    const wtype = windowCol.type;
    out.push(
      `-- 5. The incremental rollup: aggregates the half-open window [watermark, now() - ${lag}) of`,
      `--    ${sourceText}.${windowCol.name} and merges it into the rollup (counts and sums add, min/max take`,
      `--    LEAST/GREATEST${needsHll ? ', sketches union' : ''}). The lag leaves time for rows that are still being written.`,
      `--    What it cannot see: a row whose ${windowCol.name} is older than the watermark when it arrives (written`,
      `--    more than ${lag} late, or committed by a transaction that ran longer than that) is never rolled up.`,
    );
    if (windowCol.name === timeCol.name && candidates.length > 0) {
      out.push(`--    ${sourceText} has ${candidates.join(', ')}, set when a row is inserted: windowing on it (ingestion time) instead of ${timeCol.name} catches late events (citus-rollups scaffold --ingestion-time-column ${candidates[0]}).`);
    } else if (windowCol.name === timeCol.name) {
      out.push(`--    To catch late events, add an ingestion-time column (e.g. inserted_at timestamptz DEFAULT now()) and window on it.`);
    } else {
      out.push(`--    The window is on ${windowCol.name} (when the row arrived), the buckets on ${timeCol.name} (when the event happened): late events land in their own bucket.`);
    }
    if (needsHll) out.push(`--    SET search_path FROM CURRENT: the hll functions are found where this session found the hll type.`);
    out.push(
      `CREATE OR REPLACE FUNCTION ${fnName}()`,
      fnOptions,
      `DECLARE`,
      `  window_start ${wtype};`,
      `  window_end ${wtype} := now() - interval ${literal(lag)}; -- leave time for in-flight rows`,
      `BEGIN`,
      `  -- lock this rollup's row: a concurrent run waits here, then starts where this one ends`,
      `  SELECT last_aggregated_time INTO window_start FROM ${bookkeeping}`,
      `    WHERE rollup_name = ${literal(rollupText)} FOR UPDATE;`,
      `  IF NOT FOUND THEN`,
      `    RAISE EXCEPTION 'rollup % is not registered in %', ${literal(rollupText)}, ${literal(bookkeepingText)};`,
      `  END IF;`,
      `  window_start := COALESCE(window_start, '-infinity');`,
      `  IF window_start >= window_end THEN`,
      `    RETURN; -- nothing new (another run already went past this point)`,
      `  END IF;`,
      '',
      indent(insertSelect, 2) + ';',
      '',
      `  UPDATE ${bookkeeping} SET last_aggregated_time = window_end`,
      `    WHERE rollup_name = ${literal(rollupText)};`,
      `END;`,
      `$rollup$;`,
      '',
    );
  } else {
    out.push(
      `-- 5. The incremental rollup, sequence window (exactly once).`,
      ...commentLines(
        `It aggregates the ids (last_aggregated_id, pg_sequence_last_value] of ${sourceText}.${idCol!.name}. The sequence is found ` +
          `through the catalog (the one ${idCol!.name}'s default or identity uses), not by a name that the caller's search_path ` +
          `would resolve. Before reading, it briefly takes LOCK ... IN EXCLUSIVE MODE and releases it at once: that waits for every ` +
          `transaction that is still writing to ${sourceText} (and may hold an id inside the window) to commit, and blocks writers ` +
          `only for that moment. Citus caveat: with a bigint sequence Citus gives each worker its own id range (node group id * 2^48 ` +
          `+ 1 ...), so rows inserted through workers get ids the coordinator's pg_sequence_last_value does not cover: ingest ` +
          `through the coordinator, or use the time-window strategy. LOCK on a distributed table needs a transaction block: the ` +
          `function call is one.`,
      ),
    );
    if (needsHll) out.push(`--    SET search_path FROM CURRENT: the hll functions are found where this session found the hll type.`);
    out.push(
      `CREATE OR REPLACE FUNCTION ${fnName}()`,
      fnOptions,
      `DECLARE`,
      `  window_start bigint;`,
      `  window_end bigint;`,
      `  id_sequence regclass := ${sequenceExpr.replace(/\n/g, '\n  ')};`,
      `BEGIN`,
      `  IF id_sequence IS NULL THEN`,
      `    RAISE EXCEPTION 'no sequence fills %.%', ${literal(sourceText)}, ${literal(idCol!.name)};`,
      `  END IF;`,
      `  -- lock this rollup's row: a concurrent run waits here, then starts where this one ends`,
      `  SELECT last_aggregated_id + 1 INTO window_start FROM ${bookkeeping}`,
      `    WHERE rollup_name = ${literal(rollupText)} FOR UPDATE;`,
      `  IF NOT FOUND THEN`,
      `    RAISE EXCEPTION 'rollup % is not registered in %', ${literal(rollupText)}, ${literal(bookkeepingText)};`,
      `  END IF;`,
      `  window_end := pg_sequence_last_value(id_sequence); -- NULL when the sequence was never used`,
      `  IF window_end IS NULL OR window_end < window_start THEN`,
      `    RETURN; -- nothing new`,
      `  END IF;`,
      '',
      `  -- wait for in-flight writers: take the lock, then give it back by raising and catching an error`,
      `  BEGIN`,
      `    LOCK TABLE ${sourceName} IN EXCLUSIVE MODE;`,
      `    RAISE EXCEPTION 'release table lock' USING ERRCODE = 'RU001';`,
      `  EXCEPTION WHEN SQLSTATE 'RU001' THEN`,
      `    NULL;`,
      `  END;`,
      '',
      indent(insertSelect, 2) + ';',
      '',
      `  UPDATE ${bookkeeping} SET last_aggregated_id = window_end`,
      `    WHERE rollup_name = ${literal(rollupText)};`,
      `END;`,
      `$rollup$;`,
      '',
    );
  }

  if (req.cronSchedule) {
    const sched = req.cronSchedule.trim();
    if (!/^(\S+\s+){4}\S+$/.test(sched) && !/^\d+\s+seconds?$/i.test(sched) && !/^@\w+$/.test(sched)) {
      throw new RollupError(`cron schedule '${req.cronSchedule}' is not a five-field cron expression such as '* * * * *'`);
    }
    out.push(
      `-- 6. Run it every time the schedule fires (pg_cron; the job name makes this call idempotent).`,
      `SELECT cron.schedule(${literal(`rollup-${rollupText}`)}, ${literal(sched)}, ${literal(`SELECT ${fnName}();`)});`,
      '',
    );
  } else {
    out.push(`-- 6. Schedule: run SELECT ${fnName}(); every minute (pg_cron: SELECT cron.schedule('rollup-${rollupText}', '* * * * *', 'SELECT ${fnName}();');).`, '');
  }
  out.push(
    `-- Backfill: ${backfill ? `the first SELECT ${fnName}(); rolls up everything already in ${sourceText}, as one INSERT..SELECT that runs on all shards in parallel.` : 'disabled: only rows that arrive after the script ran are rolled up.'}`,
  );

  return {
    script: out.join('\n') + '\n',
    rollupTable: rollupText,
    functionName: fnName,
    runStatement: `SELECT ${fnName}();`,
    viewName: viewName ? `${schema}.${rollupName}_view` : undefined,
    insertSelects: [insertSelect],
    ingestionCandidates: candidates,
    indexName: `${source.schema}.${indexName}`,
    definition,
    notes,
  };
}
