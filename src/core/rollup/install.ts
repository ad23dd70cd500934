/**
 * The parts of a generated rollup script that make it install and run safely on a real cluster: the
 * transaction mode Citus needs when the script runs as one transaction, the guard that refuses to take
 * over another rollup's objects, the index that lets a run read only the new rows, and the catalog lookup
 * of the id sequence. Pure: returns SQL text (the generator in generate.ts puts it together).
 */
import type { ColumnModel } from '../schema/model';

/** A paragraph as SQL comment lines of at most `width` characters (words are never split). */
export function commentLines(text: string, prefix = '--    ', width = 110): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      out.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(prefix + line);
  return out;
}

/** A SQL string literal. */
export function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Step 0. Citus propagates CREATE FUNCTION / CREATE VIEW / CREATE SCHEMA / CREATE EXTENSION to every node, and
 * inside a transaction block it may do so only over one connection per node (commands/common.c,
 * EnsureSequentialMode): after a multi-shard command that used several connections per node in the same
 * transaction (create_distributed_table, CREATE INDEX on a distributed table) it fails with "cannot run function
 * command because there was a parallel operation on a distributed table in the transaction". Putting the whole
 * transaction in sequential mode before its first multi-shard command is Citus' own advice, and covers every
 * propagated object the script creates, in any order. `set_config(..., true)` is SET LOCAL without the warning
 * SET LOCAL gives outside a transaction block: statement by statement it lasts for this statement only; plain
 * PostgreSQL keeps it as an unused placeholder setting.
 */
export function transactionModeLines(): string[] {
  return [
    ...commentLines(
      `0. Run as one transaction (psql -1, a GUI tool, a migration runner), this script creates a function and a view that Citus ` +
        `copies to every node after multi-shard commands (create_distributed_table, CREATE INDEX), which Citus allows only when ` +
        `the transaction uses one connection per node from its start ("cannot run function command because there was a parallel ` +
        `operation on a distributed table in the transaction"). This puts the transaction in sequential mode; run statement by ` +
        `statement it lasts for this statement only, and plain PostgreSQL ignores it. (If your transaction ran other multi-shard ` +
        `commands before this script, set it at the start of that transaction instead.)`,
      '-- ',
    ),
    `SELECT set_config('citus.multi_shard_modify_mode', 'sequential', true);`,
    '',
  ];
}

export interface GuardSpec {
  /** the bookkeeping table, quoted and qualified */
  bookkeeping: string;
  /** the bookkeeping row's key (`schema.name`) */
  rollupKey: string;
  /** the rollup table, quoted and qualified */
  rollupTable: string;
  /** the rollup table's columns, in order */
  columns: string[];
  /** what this rollup is (definitionText) */
  definition: string;
  /** the rollup function, quoted and qualified */
  functionName: string;
}

/**
 * What a rollup is, as stored in its bookkeeping row: two scripts that agree on this can share the rollup
 * table and the watermark (a re-run, or a new lag or schedule); two that do not would mix their rows.
 */
export function definitionText(parts: { source: string; window: string; bucket: string; key: string[]; measures: Array<{ name: string; expr: string }> }): string {
  return [`source ${parts.source}`, parts.window, `bucket ${parts.bucket}`, `key ${parts.key.join(', ')}`, `measures ${parts.measures.map((m) => `${m.name} = ${m.expr}`).join(', ')}`].join('; ');
}

/**
 * A DO block that stops the script, before it creates anything, when the rollup's name is taken by objects of
 * another rollup (another strategy, window column, buckets or measures), by a table with other columns, or
 * when the bookkeeping row outlived its table (its watermark would skip the rows already rolled up).
 */
export function guardLines(g: GuardSpec): string[] {
  const key = literal(g.rollupKey);
  const drop = `DROP FUNCTION IF EXISTS ${g.functionName}(); DROP TABLE ${g.rollupTable} CASCADE; DELETE FROM ${g.bookkeeping} WHERE rollup_name = ${key};`;
  return [
    `-- Guard: ${g.rollupKey} names one rollup. If its table or bookkeeping row belongs to another rollup`,
    `-- definition, the script stops here and changes nothing (choose another name, or drop the old rollup).`,
    `DO $guard$`,
    `DECLARE`,
    `  book regclass := pg_catalog.to_regclass(${literal(g.bookkeeping)});`,
    `  installed text;`,
    `  has_row boolean := false;`,
    `  table_columns text;`,
    `BEGIN`,
    `  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = book AND attname = 'definition' AND NOT attisdropped) THEN`,
    `    EXECUTE pg_catalog.format('SELECT true, definition FROM %s WHERE rollup_name = $1', book) INTO has_row, installed USING ${key};`,
    `  ELSIF book IS NOT NULL THEN -- made by an earlier version: add the column`,
    `    EXECUTE pg_catalog.format('SELECT true FROM %s WHERE rollup_name = $1', book) INTO has_row USING ${key};`,
    `    EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN definition text', book);`,
    `  END IF;`,
    `  IF installed IS DISTINCT FROM ${literal(g.definition)} AND installed IS NOT NULL THEN`,
    `    RAISE EXCEPTION 'rollup % is already installed with another definition', ${key}`,
    `      USING DETAIL = 'installed: ' || installed || E'\\nthis script: ' || ${literal(g.definition)},`,
    `            HINT = ${literal(`Give this rollup another name (scaffold --name), or drop the old one first: ${drop}`)};`,
    `  END IF;`,
    `  SELECT pg_catalog.string_agg(attname, ', ' ORDER BY attnum) INTO table_columns FROM pg_catalog.pg_attribute`,
    `    WHERE attrelid = pg_catalog.to_regclass(${literal(g.rollupTable)}) AND attnum > 0 AND NOT attisdropped;`,
    `  IF table_columns IS NOT NULL AND table_columns <> ${literal(g.columns.join(', '))} THEN`,
    `    RAISE EXCEPTION 'table % already exists with other columns (%), not those of this rollup (%)', ${literal(g.rollupTable)}, table_columns, ${literal(g.columns.join(', '))}`,
    `      USING HINT = 'Give this rollup another name (scaffold --name).';`,
    `  END IF;`,
    `  IF table_columns IS NULL AND has_row THEN`,
    `    RAISE EXCEPTION 'rollup % has a bookkeeping row in % but no table: its watermark would skip the rows it already rolled up', ${key}, ${literal(g.bookkeeping)}`,
    `      USING HINT = ${literal(`Delete the row to start over with a backfill: DELETE FROM ${g.bookkeeping} WHERE rollup_name = ${key};`)};`,
    `  END IF;`,
    `END`,
    `$guard$;`,
    '',
  ];
}

/** PostgreSQL's limit on identifiers (NAMEDATALEN - 1 bytes). */
const MAX_IDENTIFIER_BYTES = 63;

/** `<table>_<column>_idx` (PostgreSQL's own pattern), shortened to fit an identifier. */
export function windowIndexName(table: string, column: string): string {
  const suffix = `_${column}_idx`;
  const enc = new TextEncoder();
  let head = table;
  while (head.length > 0 && enc.encode(head + suffix).length > MAX_IDENTIFIER_BYTES) head = head.slice(0, -1);
  return head ? head + suffix : `rollup${suffix}`.slice(0, MAX_IDENTIFIER_BYTES);
}

export interface WindowIndexSpec {
  /** the source table, quoted and qualified */
  source: string;
  /** the source as users read it (`schema.name`) */
  sourceText: string;
  /** the source's schema, quoted (an index lives in its table's schema) */
  schemaSql: string;
  /** the column every run filters to its window */
  column: ColumnModel;
  /** quoted column name */
  columnSql: string;
  /** index name (unqualified: an index lives in its table's schema) */
  name: string;
  /** quoted index name */
  nameSql: string;
  strategy: 'sequence' | 'time-window';
}

/** Bytes per row of a btree on one column of these types, measured (docs/benchmarks.md, "rollup"). */
export const BTREE_BYTES_PER_ROW = 23;

/**
 * Step: the index an incremental run needs to read only its window. Without it every run scans the whole
 * source (the issue measured 45-66% of a full run for 1% new rows). A btree on the window column, for both
 * strategies: it reads exactly the rows in the window whatever order they arrived in (late events, updates,
 * rows moved by a shard rebalance), and new ids and times are appended at its right edge, so inserts stay
 * cheap. BRIN (hundreds of times smaller) was measured too (bench/rollup.ts) and is documented as the alternative: a
 * run reads whole every block range not yet summarized by VACUUM, so its cost follows the rows since the last
 * summarization rather than since the last run, and it depends on rows arriving in time order. Any valid,
 * non-partial btree or BRIN index whose first column is the window column is used instead of creating one.
 */
export function windowIndexLines(ix: WindowIndexSpec): string[] {
  const col = ix.column.name;
  const what = ix.strategy === 'sequence' ? `the ids (last_aggregated_id, pg_sequence_last_value]` : `the times [watermark, now() - lag)`;
  const verb = ix.strategy === 'sequence' ? 'ids' : 'times';
  return [
    ...commentLines(
      `Every run reads only ${what} of ${col}: with an index whose first column is ${col} that costs in proportion to the new ` +
        `rows; without one, every run scans all of ${ix.sourceText}. This creates a btree ${ix.name} unless ${ix.sourceText} ` +
        `already has a valid btree or BRIN index that starts with ${col}.`,
    ),
    ...commentLines(
      `What it costs: about ${BTREE_BYTES_PER_ROW} bytes per row (${BTREE_BYTES_PER_ROW} MB per million rows; more when rows arrive far out of ` +
        `${col} order) and one more index entry per ` +
        `insert (cheap: new ${verb} go to the index's right edge). Building it reads the table once and, here, blocks INSERT, ` +
        `UPDATE and DELETE on ${ix.sourceText} until it is built (on Citus, run as one transaction: shard after shard on each ` +
        `node). On a big table that takes writes, build it first without blocking writes, outside a transaction block (Citus ` +
        `builds it on every shard), then run this script:`,
    ),
    `--      CREATE INDEX CONCURRENTLY IF NOT EXISTS ${ix.nameSql} ON ${ix.source} (${ix.columnSql});`,
    ...commentLines(
      `If that is interrupted it leaves an invalid index: drop it (DROP INDEX CONCURRENTLY) and build it again. A BRIN index ` +
        `(USING brin) is hundreds of times smaller, but every run reads whole the block ranges VACUUM has not summarized ` +
        `yet (up to a fifth of the table with autovacuum's defaults), and it needs rows to arrive in ${col} order; this ` +
        `step accepts one you create yourself.`,
    ),
    `DO $index$`,
    `BEGIN`,
    `  IF NOT EXISTS (`,
    `    SELECT 1 FROM pg_catalog.pg_index i`,
    `    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid`,
    `    JOIN pg_catalog.pg_am am ON am.oid = ic.relam`,
    `    JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]`,
    `    WHERE i.indrelid = ${literal(ix.source)}::pg_catalog.regclass AND a.attname = ${literal(col)}`,
    `      AND i.indisvalid AND i.indpred IS NULL AND am.amname IN ('btree', 'brin')`,
    `  ) THEN`,
    `    IF pg_catalog.to_regclass(${literal(`${ix.schemaSql}.${ix.nameSql}`)}) IS NOT NULL THEN`,
    `      RAISE EXCEPTION 'index % exists but cannot serve the rollup window (invalid, partial, or not on %)', ${literal(ix.name)}, ${literal(col)}`,
    `        USING HINT = ${literal(`Drop it (DROP INDEX CONCURRENTLY ${ix.schemaSql}.${ix.nameSql};) and run this script again.`)};`,
    `    END IF;`,
    `    RAISE NOTICE 'creating index % on % (%): writes to % wait until it is built', ${literal(ix.name)}, ${literal(ix.sourceText)}, ${literal(col)}, ${literal(ix.sourceText)};`,
    `    CREATE INDEX ${ix.nameSql} ON ${ix.source} (${ix.columnSql});`,
    `  END IF;`,
    `END`,
    `$index$;`,
    '',
  ];
}

/**
 * The id column's sequence, found through the catalog when the function runs (never by a name that depends
 * on the caller's search_path): the sequence its DEFAULT nextval(...) depends on (serial, bigserial, an
 * explicit nextval), else the identity sequence (pg_get_serial_sequence).
 */
export function sequenceLookup(source: string, column: string): string {
  return [
    `COALESCE(`,
    `    (SELECT d.refobjid::pg_catalog.regclass`,
    `       FROM pg_catalog.pg_attrdef ad`,
    `       JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum`,
    `       JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND d.objid = ad.oid`,
    `                                  AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass`,
    `       JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'`,
    `      WHERE ad.adrelid = ${literal(source)}::pg_catalog.regclass AND a.attname = ${literal(column)}`,
    `      LIMIT 1),`,
    `    pg_catalog.pg_get_serial_sequence(${literal(source)}, ${literal(column)})::pg_catalog.regclass)`,
  ].join('\n');
}
