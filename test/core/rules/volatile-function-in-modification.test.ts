import { at } from './at';
import { CORPUS_SCHEMA, ruleTests } from './harness';

const SET_RANDOM = 'UPDATE events SET value = random() WHERE tenant_id = 5';
const REFERENCE = "UPDATE ref_tenants SET tenant_name = tenant_name || random()::text WHERE tenant_id = 5";
const WHERE_RANDOM = 'DELETE FROM events WHERE tenant_id = 5 AND random() < 0.1';
const STABLE_COLUMN = "UPDATE events SET event_type = to_char(created_at, 'YYYY') WHERE tenant_id = 5";
// STABLE as the types make it (checked on Citus 13.2.2: each refused with this message): the timestamptz -> date
// cast, timestamptz > date, extract() of a timestamptz, the timestamptz -> text conversion
const CAST_DATE = "DELETE FROM events WHERE created_at::date = '2024-01-01' AND tenant_id = 5";
const CROSS_TYPE = "UPDATE events SET value = 1 WHERE created_at > '2024-01-01'::date";
const EXTRACT = 'UPDATE events SET value = extract(day from created_at)::int WHERE tenant_id = 5';
const AS_TEXT = "UPDATE events SET value = 1 WHERE created_at::text LIKE '2024%'";
// a VOLATILE function in a subquery that goes down with the modification (Citus 13.2.2 refuses both); planned
// first, the same subquery runs (valid below)
const SUBQUERY_IN = 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT tenant_id FROM users WHERE random() > 0.5)';
const SUBQUERY_FROM = 'UPDATE events e SET value = 1 FROM (SELECT tenant_id, random() AS r FROM users) s WHERE s.tenant_id = e.tenant_id';
const CTE_WHERE_RANDOM = 'WITH d AS (DELETE FROM events WHERE tenant_id = 6 AND value > random() RETURNING *) SELECT * FROM d';
const CONFLICT_NOW = 'INSERT INTO tenant_stats (tenant_id, event_count) VALUES (5, 1) ON CONFLICT (tenant_id) DO UPDATE SET last_seen = now()';

// a single-shard or reference target: the router planner takes the whole statement, and a VOLATILE function anywhere in
// it outside a CTE is refused (checked on Citus 13.2.2, each refused with this message)
const ONE_SHARD = "CREATE TABLE ss (id int, value int); SELECT create_distributed_table('ss', null); CREATE TABLE ss2 (id int, value int); SELECT create_distributed_table('ss2', null, colocate_with => 'ss');";
const SS_FROM = 'UPDATE ss SET value = c.value FROM (SELECT id, random()::int AS value FROM ss2) c WHERE ss.id = c.id';
const SS_USING = 'DELETE FROM ss USING (SELECT id, random() AS x FROM ss2) c WHERE ss.id = c.id AND c.x > 0.5';
const SS_IN = 'UPDATE ss SET value = 1 WHERE id IN (SELECT id FROM ss2 WHERE random() > 0.5)';
const SS_EXISTS = 'UPDATE ss SET value = 1 WHERE EXISTS (SELECT 1 FROM ss2 WHERE ss2.id = ss.id AND random() > 0.5)';
// MERGE refuses a conversion the types make STABLE: timestamptz -> date (checked on Citus 13.2.2; timestamp -> date runs)
const MERGE_CAST = 'MERGE INTO daily_rollup d USING (SELECT tenant_id, created_at::date AS day, event_type, count(*) AS n FROM events WHERE event_type IS NOT NULL GROUP BY 1, 2, 3) s ON d.tenant_id = s.tenant_id AND d.day = s.day AND d.event_type = s.event_type WHEN MATCHED THEN UPDATE SET event_count = d.event_count + s.n';
const REF_FROM = "UPDATE ref_tenants SET plan = c.plan FROM (SELECT tenant_id, random()::text AS plan FROM ref_tenants) c WHERE ref_tenants.tenant_id = c.tenant_id";
// `'x' || n` is textanycat and concat() concat(variadic "any"): STABLE as PostgreSQL resolves them (each refused on
// Citus 13.2.2 with the message of its place; test/fixtures/probes/sql/stable-operators.sql)
const CONCAT_EVERY_SHARD = "UPDATE events SET event_type = 'x' || user_id";
const CONCAT_IN_COALESCE = "UPDATE events SET event_type = COALESCE(event_type, concat('x', user_id))";
const CONCAT_RETURNING = "UPDATE events SET value = 1 WHERE tenant_id = 5 RETURNING 'x' || user_id";
const CONCAT_CONFLICT = "INSERT INTO tenant_stats (tenant_id, event_count) VALUES (5, 1) ON CONFLICT (tenant_id) DO UPDATE SET event_count = length('x' || excluded.event_count)";
const CONCAT_MERGE = "MERGE INTO tenant_stats t USING users u ON t.tenant_id = u.tenant_id WHEN MATCHED THEN UPDATE SET event_count = length(concat('x', u.user_id))";
const CONCAT_TIMESTAMPTZ = "UPDATE events SET event_type = 'x' || created_at WHERE tenant_id = 5";
// the conversion of the assigned value to the column's type: date -> timestamptz and timestamp -> timestamptz are
// STABLE (each refused on Citus 13.2.2; inside a CASE the walker does not look, and it runs)
const TIMES = "CREATE TABLE da (k int PRIMARY KEY, c text, n int, ts timestamptz, d date, tl timestamp); SELECT create_distributed_table('da', 'k');";
const ASSIGN_DATE = 'UPDATE da SET ts = d';
const ASSIGN_TIMESTAMP = "UPDATE da SET ts = tl + interval '1 hour' WHERE k = 1";

// each element of ARRAY[..]::date[] is converted on its own: timestamptz to date is STABLE (multi_function_evaluation.sql
// of Citus' regression suite)
const ARRAY_CAST = 'UPDATE events SET value = array_length(ARRAY[created_at]::date[], 1) WHERE tenant_id = 1';

// the whole UPDATE / DELETE on one shard, its subqueries pinned to the same tenant or reading reference tables only:
// SingleShardUpdateDeleteSupported refuses the function, and no subquery is planned first (probe file
// dml-volatile-one-shard.sql, recorded on Citus 13.2.2)
const PINNED_IN = 'UPDATE users SET name = \'x\' WHERE tenant_id = 1 AND user_id IN (SELECT user_id FROM events WHERE tenant_id = 1 AND value > random())';
const PINNED_DELETE = 'DELETE FROM users WHERE tenant_id = 1 AND user_id IN (SELECT user_id FROM users WHERE tenant_id = 1 AND user_id > random())';
const PINNED_REFERENCE = "UPDATE users SET name = 'x' WHERE tenant_id = 1 AND user_id IN (SELECT tenant_id FROM ref_tenants WHERE random() > 0.5)";

// `SET id = DEFAULT` of an identity or serial column is nextval() once PostgreSQL's rewriter has put the default in
// (checked on Citus 13.2.2)
const IDENTITY_SCHEMA = "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY, account_id int NOT NULL, seq bigserial, at timestamptz DEFAULT now());\nSELECT create_distributed_table('orders', 'account_id');";
const SET_IDENTITY_DEFAULT = 'UPDATE orders SET id = DEFAULT WHERE account_id = 1';
const SET_SERIAL_DEFAULT = 'UPDATE orders SET seq = DEFAULT';
const MERGE_LOCAL_STABLE = "MERGE INTO local_config t USING local_archive s ON t.tenant_id = s.tenant_id WHEN MATCHED THEN UPDATE SET setting = 'x' || (SELECT max(tenant_id) FROM ref_tenants)";

ruleTests('volatile-function-in-modification', {
  valid: [
    // a STABLE default is computed once, on the coordinator
    { schema: IDENTITY_SCHEMA, sql: 'UPDATE orders SET at = DEFAULT WHERE account_id = 1', outcome: 'single_shard', notOnPostgres: 'a Citus table' },
    // ... planned first: another tenant's subquery, or one with LIMIT (both run on Citus 13.2.2, through the coordinator)
    { sql: "UPDATE users SET name = 'x' WHERE tenant_id = 1 AND user_id IN (SELECT user_id FROM users WHERE tenant_id = 2 AND user_id > random())", outcome: 'coordinator' },
    { sql: "UPDATE users SET name = 'x' WHERE tenant_id = 1 AND user_id IN (SELECT user_id FROM events WHERE tenant_id = 1 AND value > random() LIMIT 5)", outcome: 'coordinator' },
    { sql: 'MERGE INTO daily_page_views d USING (SELECT tenant_id, view_time::date AS day, page_id, count(*) AS n FROM page_views GROUP BY 1, 2, 3) s ON d.tenant_id = s.tenant_id AND d.day = s.day AND d.page_id = s.page_id WHEN MATCHED THEN UPDATE SET view_count = s.n', outcome: 'multi_shard' },
    // AT TIME ZONE of a timestamptz with a zone is timezone(text, timestamptz), IMMUTABLE (timezone(text, timetz) is the
    // STABLE one): recorded on Citus 13.2.2 (test/fixtures/probes/sql/merge-and-values.sql)
    { sql: "MERGE INTO daily_rollup d USING (SELECT tenant_id, (created_at AT TIME ZONE 'UTC')::date AS day, event_type, count(*) n FROM events GROUP BY 1, 2, 3) s ON d.tenant_id = s.tenant_id AND d.day = s.day AND d.event_type = s.event_type WHEN NOT MATCHED THEN INSERT (tenant_id, day, event_type, event_count) VALUES (s.tenant_id, s.day, s.event_type, s.n)", outcome: 'multi_shard' },
    // in a CTE it is run first, through the coordinator (modification-via-coordinator); STABLE now() stays with the router
    { schema: ONE_SHARD, sql: 'WITH c AS MATERIALIZED (SELECT 1 AS id, random()::int AS value) UPDATE ss SET value = c.value FROM c WHERE ss.id = c.id', outcome: 'coordinator' },
    { schema: ONE_SHARD, sql: 'WITH c AS MATERIALIZED (SELECT 1 AS id, now() AS t) UPDATE ss SET value = 1 FROM c WHERE ss.id = c.id', outcome: 'single_shard' },
    // now() is STABLE and called without a column: evaluated once on the coordinator
    { sql: 'UPDATE events SET created_at = now() WHERE tenant_id = 5', outcome: 'single_shard' },
    { sql: "DELETE FROM events WHERE created_at < now() - interval '30 days'", outcome: 'multi_shard' },
    // EXCLUDED values in ON CONFLICT are fine, and VALUES may call now()
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count, last_seen) VALUES (5, 1, now()) ON CONFLICT (tenant_id) DO UPDATE SET last_seen = EXCLUDED.last_seen', outcome: 'single_shard' },
    // IMMUTABLE for these types (Task Count 1 / 32 on Citus 13.2.2)
    { sql: 'UPDATE events SET value = tenant_id::numeric WHERE tenant_id = 5', outcome: 'single_shard' },
    { sql: "UPDATE events SET value = extract(day from '2024-01-01'::date) WHERE tenant_id = 5", outcome: 'single_shard' },
    { sql: 'UPDATE events SET event_type = user_id::text WHERE tenant_id = 5', outcome: 'single_shard' },
    { sql: "DELETE FROM events WHERE created_at < '2024-01-01'", outcome: 'multi_shard' },
    // plain PostgreSQL table
    { sql: 'UPDATE local_config SET val = (random() * 10)::int', outcome: 'local' },
    // one shard (the router planner): PostgreSQL has inlined textanycat into `'x' || user_id::text`, IMMUTABLE for an
    // int (runs on Citus 13.2.2; on every shard it is refused, below)
    { sql: "UPDATE events SET event_type = 'x' || user_id WHERE tenant_id = 5", outcome: 'single_shard' },
    { sql: "UPDATE events SET event_type = CASE WHEN value > 0 THEN 'x' || user_id END WHERE tenant_id = 5", outcome: 'single_shard' },
    { sql: "UPDATE ref_tenants SET plan = 'x' || tenant_id", outcome: 'single_shard' },
    { schema: TIMES, sql: 'UPDATE da SET ts = CASE WHEN n > 0 THEN d END', outcome: 'multi_shard' },
    { schema: TIMES, sql: 'UPDATE da SET c = n, n = 1.5 * n', outcome: 'multi_shard' },
    // subqueries planned first take their VOLATILE function with them (Citus 13.2.2: a distributed subplan, then
    // 32 tasks, or 1 with the target pinned): not on the distribution column, VALUES, no FROM
    { sql: 'UPDATE events SET value = 1 WHERE user_id IN (SELECT user_id FROM users WHERE random() > 0.5)', outcome: 'coordinator' },
    { sql: 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT num FROM (VALUES (random()::int), (2)) t(num))', outcome: 'coordinator' },
    { sql: 'UPDATE events SET value = 1 WHERE tenant_id IN (SELECT num FROM (VALUES (random()::int), (2)) t(num)) AND tenant_id = 2', outcome: 'coordinator' },
    { sql: 'DELETE FROM events WHERE tenant_id = (SELECT (random() * 10)::int)', outcome: 'coordinator' },
  ],
  invalid: [
    { schema: IDENTITY_SCHEMA, sql: SET_IDENTITY_DEFAULT, outcome: 'error', findings: [at(SET_IDENTITY_DEFAULT, 'DEFAULT')] },
    { schema: IDENTITY_SCHEMA, sql: SET_SERIAL_DEFAULT, outcome: 'error', findings: [at(SET_SERIAL_DEFAULT, 'DEFAULT')] },
    // a MERGE into a local table that reads a reference table (in a WHEN clause's subquery) is Citus' MERGE, which
    // refuses every non-IMMUTABLE function: `text || integer` is the STABLE anytextcat (checked on Citus 13.2.2)
    { sql: MERGE_LOCAL_STABLE, outcome: 'error', findings: [at(MERGE_LOCAL_STABLE, "'x' ||")] },
    { sql: PINNED_IN, outcome: 'error', findings: [at(PINNED_IN, 'random()')] },
    { sql: PINNED_DELETE, outcome: 'error', findings: [at(PINNED_DELETE, 'random()')] },
    { sql: PINNED_REFERENCE, outcome: 'error', findings: [at(PINNED_REFERENCE, 'random()')] },
    // in a data-modifying CTE: the router planner will not take it with the query, so it is planned on its own and
    // refused there (Citus 13.2.2: probes/sql/dml-ctes-and-nested-set-operations.sql)
    { sql: CTE_WHERE_RANDOM, outcome: 'error', findings: [at(CTE_WHERE_RANDOM, 'random()')] },
    { schema: ONE_SHARD, sql: SS_FROM, outcome: 'error', findings: [at(SS_FROM, 'random()')] },
    { schema: ONE_SHARD, sql: SS_USING, outcome: 'error', findings: [at(SS_USING, 'random()')] },
    { schema: ONE_SHARD, sql: SS_IN, outcome: 'error', findings: [at(SS_IN, 'random()')] },
    { schema: ONE_SHARD, sql: SS_EXISTS, outcome: 'error', findings: [at(SS_EXISTS, 'random()')] },
    { sql: REF_FROM, outcome: 'error', findings: [at(REF_FROM, 'random()')] },
    { sql: MERGE_CAST, outcome: 'error', findings: [at(MERGE_CAST, 'created_at::date')] },
    { sql: ARRAY_CAST, outcome: 'error', findings: [at(ARRAY_CAST, 'ARRAY[created_at]::date[]')] },
    { sql: SET_RANDOM, outcome: 'error', findings: [at(SET_RANDOM, 'random()')] },
    { sql: SUBQUERY_IN, outcome: 'error', findings: [at(SUBQUERY_IN, 'random()')] },
    { sql: SUBQUERY_FROM, outcome: 'error', findings: [at(SUBQUERY_FROM, 'random()')] },
    { sql: REFERENCE, outcome: 'error', findings: [at(REFERENCE, 'random()')] },
    { sql: WHERE_RANDOM, outcome: 'error', findings: [at(WHERE_RANDOM, 'random()')] },
    { sql: STABLE_COLUMN, outcome: 'error', findings: [at(STABLE_COLUMN, 'to_char')] },
    { sql: CONFLICT_NOW, outcome: 'error', findings: [at(CONFLICT_NOW, 'now()')] },
    { sql: CAST_DATE, outcome: 'error', findings: [at(CAST_DATE, 'created_at::date')] },
    { sql: CROSS_TYPE, outcome: 'error', findings: [at(CROSS_TYPE, 'created_at >')] },
    { sql: EXTRACT, outcome: 'error', findings: [at(EXTRACT, 'extract')] },
    { sql: AS_TEXT, outcome: 'error', findings: [at(AS_TEXT, 'created_at::text')] },
    { sql: CONCAT_EVERY_SHARD, outcome: 'error', findings: [at(CONCAT_EVERY_SHARD, "'x' ||")] },
    { sql: CONCAT_IN_COALESCE, outcome: 'error', findings: [at(CONCAT_IN_COALESCE, 'COALESCE')] },
    { sql: CONCAT_RETURNING, outcome: 'error', findings: [at(CONCAT_RETURNING, "'x' || user_id")] },
    { sql: CONCAT_CONFLICT, outcome: 'error', findings: [at(CONCAT_CONFLICT, "'x' || excluded")] },
    { sql: CONCAT_MERGE, outcome: 'error', findings: [at(CONCAT_MERGE, 'concat(')] },
    { schema: TIMES, sql: ASSIGN_DATE, outcome: 'error', findings: [at(ASSIGN_DATE, 'd', 2)] },
    { schema: TIMES, sql: ASSIGN_TIMESTAMP, outcome: 'error', findings: [at(ASSIGN_TIMESTAMP, 'tl +')] },
    { sql: CONCAT_TIMESTAMPTZ, outcome: 'error', findings: [at(CONCAT_TIMESTAMPTZ, "'x' ||")] },
  ],
});

// a VOLATILE function in FROM / USING is wrapped into a subquery and planned first (WrapFunctionsInSubqueries): no
// refusal, on one shard or every shard, of a distributed or a reference table (Citus 13.2.2: probes/sql/functions-in-from.sql)
const FN_SCHEMA = `${CORPUS_SCHEMA}\nCREATE FUNCTION f_set(n int) RETURNS SETOF int AS $$ BEGIN RETURN QUERY SELECT generate_series(1, n); END $$ LANGUAGE plpgsql;`;
describe('volatile functions in FROM of a modification', () => {
  ruleTests('volatile-function-in-modification', {
    valid: [
      { schema: FN_SCHEMA, sql: 'UPDATE events e SET value = 1 FROM f_set(3) v WHERE v = e.tenant_id AND e.tenant_id = 2', outcome: 'coordinator' },
      { schema: FN_SCHEMA, sql: 'UPDATE events e SET value = 1 FROM f_set(3) v WHERE v = e.tenant_id', outcome: 'coordinator' },
      { schema: FN_SCHEMA, sql: "UPDATE ref_tenants r SET plan = 'x' FROM f_set(3) v WHERE v = r.tenant_id", outcome: 'coordinator' },
      { sql: 'UPDATE events e SET value = 1 FROM now() t WHERE e.created_at > t', outcome: 'multi_shard' },
    ],
    invalid: [],
  });
});
