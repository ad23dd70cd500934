/**
 * What the rollup generator and the rollup-correctness rules know about aggregates: which ones can be
 * merged on conflict (and how), which ones cannot, and how a measure written by a user
 * (`count(*)`, `sum(value)`, `count(distinct user_id)`) maps to rollup columns.
 */

/** Aggregates whose partial results cannot be combined from two stored values by an expression. */
export const NON_MERGEABLE_AGGREGATES: Readonly<Record<string, string>> = {
  avg: 'store sum(x) and count(x) in two columns, add both on conflict, and divide when reading',
  percentile_cont: 'store a t-digest sketch (tdigest extension) or keep the raw values',
  percentile_disc: 'store a t-digest sketch (tdigest extension) or keep the raw values',
  mode: 'store per-value counts (a dimension) and pick the mode when reading',
  string_agg: 'store the values as a dimension, or append arrays (array_agg merged with ||) if duplicates are fine',
  stddev: 'store count(x), sum(x) and sum(x*x), add them on conflict, and compute the deviation when reading',
  stddev_pop: 'store count(x), sum(x) and sum(x*x), add them on conflict, and compute the deviation when reading',
  stddev_samp: 'store count(x), sum(x) and sum(x*x), add them on conflict, and compute the deviation when reading',
  variance: 'store count(x), sum(x) and sum(x*x), add them on conflict, and compute the variance when reading',
  var_pop: 'store count(x), sum(x) and sum(x*x), add them on conflict, and compute the variance when reading',
  var_samp: 'store count(x), sum(x) and sum(x*x), add them on conflict, and compute the variance when reading',
  corr: 'store the sums it needs (count, sum(x), sum(y), sum(x*y), sum(x*x), sum(y*y)) and compute it when reading',
  median: 'store a t-digest sketch (tdigest extension) or keep the raw values',
};

/** How the merge of a DISTINCT aggregate should be done instead. */
export const DISTINCT_ADVICE =
  'two windows can contain the same value, so adding their distinct counts double-counts it; store an HLL sketch (hll_add_agg(hll_hash_<type>(x)), merged with hll_union) or make the column a dimension';

/** Aggregates whose per-window results add up on conflict (`t.c + EXCLUDED.c`). */
export const ADDITIVE_AGGREGATES = new Set(['count', 'sum', 'regr_count']);

/** Aggregates merged with LEAST / GREATEST. */
export const MIN_MAX_AGGREGATES: Readonly<Record<string, 'LEAST' | 'GREATEST'>> = {
  min: 'LEAST',
  max: 'GREATEST',
};

export type MeasureFunction = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'count_distinct';

export interface MeasureSpec {
  fn: MeasureFunction;
  /** source column; absent for count(*) */
  column?: string;
  /** rollup column name chosen by the user (`count(*) AS views`) */
  as?: string;
}

export class MeasureSyntaxError extends Error {}

const MEASURE_RE = /^\s*(count|sum|min|max|avg)\s*\(\s*(distinct\s+)?("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*|\*)\s*\)\s*(?:as\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))?\s*$/i;

/** Parses `count(*)`, `count(col)`, `sum(col)`, `min(col)`, `max(col)`, `avg(col)`, `count(distinct col)`, each optionally `AS name`. */
export function parseMeasure(text: string): MeasureSpec {
  const m = MEASURE_RE.exec(text);
  if (!m) {
    throw new MeasureSyntaxError(
      `cannot read measure '${text}': write one of count(*), count(col), sum(col), min(col), max(col), avg(col), count(distinct col), optionally followed by AS name`,
    );
  }
  const fn = m[1].toLowerCase();
  const distinct = !!m[2];
  const column = m[3] === '*' ? undefined : unquote(m[3]);
  const as = m[4] ? unquote(m[4]) : undefined;
  if (column === undefined && fn !== 'count') throw new MeasureSyntaxError(`${fn}(*) is not an aggregate; give a column: ${fn}(col)`);
  if (distinct && fn !== 'count') throw new MeasureSyntaxError(`${fn}(DISTINCT ...) is not supported; only count(distinct col) is (with hll)`);
  if (distinct && column === undefined) throw new MeasureSyntaxError('count(distinct *) is not valid SQL; give a column');
  return { fn: distinct ? 'count_distinct' : (fn as MeasureFunction), column, as };
}

function unquote(s: string): string {
  return s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase();
}

/** The measure as SQL text (for messages). */
export function measureText(m: MeasureSpec): string {
  const arg = m.column ?? '*';
  return m.fn === 'count_distinct' ? `count(distinct ${arg})` : `${m.fn}(${arg})`;
}

/** Result type of sum() over a column type, as PostgreSQL defines it. */
export function sumType(type: string): string {
  switch (type) {
    case 'smallint':
    case 'integer':
      return 'bigint';
    case 'bigint':
    case 'numeric':
      return 'numeric';
    case 'real':
      return 'real';
    case 'double precision':
      return 'double precision';
    case 'interval':
      return 'interval';
    case 'money':
      return 'money';
    default:
      return 'numeric';
  }
}

/** Types sum() and avg() accept. */
export function isSummable(type: string): boolean {
  return ['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'interval', 'money'].includes(type);
}

/** The hll hash function for a column type (postgresql-hll). */
export function hllHashFunction(type: string): string {
  switch (type) {
    case 'smallint':
      return 'hll_hash_smallint';
    case 'integer':
      return 'hll_hash_integer';
    case 'bigint':
      return 'hll_hash_bigint';
    case 'boolean':
      return 'hll_hash_boolean';
    case 'bytea':
      return 'hll_hash_bytea';
    case 'text':
    case 'character varying':
      return 'hll_hash_text';
    default:
      return 'hll_hash_any';
  }
}
