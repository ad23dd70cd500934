/**
 * How a `SET citus.x = value` is stored in the model: as PostgreSQL stores it. A boolean setting accepts
 * every spelling PostgreSQL's parse_bool() does (`true`, `yes`, `1`, `on` and their prefixes) and
 * reads back as `on` / `off`; the analysis compares with those.
 */
import { citusCatalog } from '../complete/citus-catalog';

/**
 * Boolean Citus settings the analysis reads (the others are kept as written); any other setting a Citus 13.2.2
 * cluster's catalog types `bool` is normalized too (`SET citus.enable_ddl_propagation TO false`).
 */
const BOOLEAN_SETTINGS = new Set([
  'citus.enable_repartition_joins',
  'citus.enable_repartitioned_insert_select',
  'citus.enable_schema_based_sharding',
  'citus.allow_unsafe_constraints',
  'citus.subquery_pushdown',
  'citus.enable_router_execution',
  'citus.enable_fast_path_router_planner',
  'citus.enable_non_colocated_router_query_pushdown',
  'citus.enable_recurring_outer_join_pushdown',
  'citus.enable_local_execution',
  'citus.enable_local_reference_table_foreign_keys',
  'citus.use_citus_managed_tables',
]);

/** PostgreSQL's parse_bool_with_len (src/backend/utils/adt/bool.c): true, false or undefined (invalid). */
export function parsePgBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (!v) return undefined;
  const prefixOf = (word: string, min = 1): boolean => v.length >= min && word.startsWith(v);
  if (prefixOf('true') || prefixOf('yes')) return true;
  if (prefixOf('false') || prefixOf('no')) return false;
  if (prefixOf('on', 2)) return true;
  if (prefixOf('off', 2)) return false;
  if (v === '1') return true;
  if (v === '0') return false;
  return undefined;
}

/** The value as the model keeps it: lower case, booleans as on / off. */
export function normalizeSettingValue(name: string, value: string): string {
  const lower = value.toLowerCase();
  if (!BOOLEAN_SETTINGS.has(name) && !(name.startsWith('citus.') && citusCatalog().settings.get(name.slice(6))?.type === 'bool')) return lower;
  const b = parsePgBool(lower);
  return b === undefined ? lower : b ? 'on' : 'off';
}
