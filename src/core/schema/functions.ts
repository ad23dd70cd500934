/**
 * Function volatility, as PostgreSQL's catalog marks it (pg_proc.provolatile), for the functions users
 * write in rollups. Citus refuses volatile functions in pushed-down INSERT..SELECT and anything but
 * IMMUTABLE in ON CONFLICT DO UPDATE SET. Functions defined in the workspace carry their declared
 * volatility in the schema model; other unknown names are assumed to be immutable built-ins, so that a
 * missing entry here never invents a pushdown failure.
 */

export type Volatility = 'immutable' | 'stable' | 'volatile';

const VOLATILE = new Set([
  'random', 'random_normal', 'setseed', 'nextval', 'setval', 'currval', 'lastval', 'clock_timestamp', 'timeofday',
  'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'txid_current', 'pg_sleep',
  'dblink', 'pg_advisory_lock', 'pg_try_advisory_lock', 'pg_notify', 'set_config', 'pg_current_xact_id',
  'uuidv4', 'uuidv7',
]);

const STABLE = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_setting', 'to_char', 'to_timestamp', 'age',
  'date_trunc_tz', 'timezone', 'current_schema', 'current_database', 'pg_sequence_last_value', 'to_date',
  'current_schemas', 'format', 'array_to_string', 'jsonb_path_query', 'string_to_array',
]);

/**
 * Volatility of a function by name. `argTypes` is not needed for the common cases; date_trunc on
 * timestamptz is STABLE, which makes no difference to the pushdown rules (STABLE is allowed there).
 */
export function functionVolatility(name: string): Volatility {
  const n = name.toLowerCase();
  if (VOLATILE.has(n)) return 'volatile';
  if (STABLE.has(n)) return 'stable';
  return 'immutable';
}

/** Functions users call in rollups that are IMMUTABLE (documentation of what was checked). */
export const KNOWN_IMMUTABLE = new Set([
  'abs', 'coalesce', 'greatest', 'least', 'nullif', 'lower', 'upper', 'length', 'char_length', 'substr', 'substring',
  'trim', 'btrim', 'ltrim', 'rtrim', 'replace', 'concat', 'concat_ws', 'md5', 'hashtext', 'round', 'floor', 'ceil',
  'ceiling', 'trunc', 'mod', 'power', 'sqrt', 'ln', 'log', 'exp', 'sign', 'date_trunc', 'date_part', 'extract',
  'date_bin', 'make_date', 'make_timestamp', 'make_interval', 'split_part', 'left', 'right', 'position', 'strpos',
  'regexp_replace', 'regexp_match', 'regexp_matches', 'jsonb_build_object', 'json_build_object', 'jsonb_extract_path',
  'jsonb_extract_path_text', 'json_extract_path_text', 'jsonb_array_elements', 'jsonb_array_elements_text',
  'jsonb_each', 'jsonb_each_text', 'jsonb_object_keys', 'jsonb_typeof', 'jsonb_array_length', 'jsonb_set',
  'array_length', 'cardinality', 'unnest', 'array_agg', 'generate_series', 'generate_subscripts', 'int4', 'int8',
  'text', 'numeric', 'to_jsonb', 'row_to_json', 'hll_hash_integer', 'hll_hash_bigint', 'hll_hash_text',
  'hll_hash_any', 'hll_add', 'hll_union', 'hll_cardinality', 'hll_empty', 'topn_add', 'topn_union', 'topn',
  'tdigest_percentile', 'host', 'family', 'array_cat', 'array_append', 'array_remove', 'width_bucket', 'float8',
  'bool', 'date', 'timestamp', 'timestamptz', 'num_nonnulls', 'num_nulls', 'quote_ident', 'quote_literal',
  'encode', 'decode', 'sha256', 'bit_length', 'octet_length', 'initcap', 'reverse', 'repeat', 'lpad', 'rpad',
  'isfinite', 'justify_interval', 'array_position', 'array_remove', 'jsonb_strip_nulls', 'jsonb_agg',
]);

/** Aggregate functions (also used to tell aggregates from plain calls). */
export const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or',
  'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg', 'stddev', 'stddev_pop', 'stddev_samp', 'variance',
  'var_pop', 'var_samp', 'percentile_cont', 'percentile_disc', 'mode', 'corr', 'covar_pop', 'covar_samp',
  'regr_count', 'hll_add_agg', 'hll_union_agg', 'topn_add_agg', 'topn_union_agg', 'tdigest', 'xmlagg',
  'any_value', 'range_agg', 'range_intersect_agg',
]);

export const WINDOW_FUNCTIONS = new Set([
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value',
]);

export function isAggregate(name: string): boolean {
  return AGGREGATES.has(name.toLowerCase());
}

/** The volatility of a DEFAULT expression's SQL value functions (`CURRENT_TIMESTAMP` and friends are STABLE). */
export const SQL_VALUE_FUNCTION_VOLATILITY: Volatility = 'stable';
