import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const WRONG_ARGS = "INSERT INTO daily_page_views (tenant_id, day, page_id, view_count) SELECT tenant_id, date_trunc(view_time, 'day'), page_id, count(*) FROM page_views GROUP BY 1, 2, 3";
const NOT_AGGREGATE = 'SELECT lower(DISTINCT event_type) FROM events';
// unnest(a, b) is expanded only when unqualified, in FROM (transformRangeFunction())
const QUALIFIED_UNNEST = "SELECT * FROM pg_catalog.unnest(ARRAY[1, 2], ARRAY['a', 'b'])";
const SELECT_LIST_UNNEST = "SELECT unnest(ARRAY[1, 2], ARRAY['a', 'b'])";
// a Citus procedure called as a function (checked on Citus 13.2.2)
const PROCEDURE = "SELECT drop_old_time_partitions('events', '2024-01-01')";

export const cases: RuleTable = {
  valid: [
    { sql: "SELECT date_trunc('day', created_at), count(*) FROM events GROUP BY 1" },
    // a Citus function, and a procedure called as one
    { sql: "SELECT create_time_partitions('events_part', '1 month', '2026-01-01')", notOnPostgres: 'a Citus function' },
    { sql: "CALL drop_old_time_partitions('events_part', '2024-01-01')", notOnPostgres: 'a Citus procedure' },
    // functions the model does not know (extensions, the cluster's) are not checked
    { sql: 'SELECT my_extension_function(tenant_id, 1) FROM events', notOnPostgres: 'a function the model does not know' },
    { sql: 'SELECT hll_cardinality(hll_add_agg(hll_hash_integer(user_id))) FROM events', notOnPostgres: 'the hll extension' },
    // named and defaulted arguments
    { sql: "SELECT make_interval(days => 1), to_char(created_at, 'YYYY') FROM events" },
    // unnest of several arrays in FROM: one unnest per array, a column each (the bulk-insert idiom)
    { sql: "INSERT INTO events (tenant_id, event_id, event_type) SELECT * FROM unnest(ARRAY[1, 2], ARRAY[10, 20]::bigint[], ARRAY['a', 'b'])", method: 'pull_to_coordinator' },
    { sql: "SELECT t + 1, upper(k), n FROM unnest(ARRAY[1, 2], ARRAY['a', 'b']) WITH ORDINALITY AS u(t, k, n)" },
    // unnest(a, b) in ROWS FROM is unnest(a), unnest(b), as in FROM (found in PostgreSQL's regression files)
    { sql: "SELECT * FROM ROWS FROM (unnest(ARRAY[10, 20], ARRAY['foo', 'bar']), generate_series(101, 102)) WITH ORDINALITY AS z(a, b, c, ord)" },
    // the quoted "char" type is not char(n) (bpchar)
    { sql: 'SELECT hashchar(v), hashcharextended(v, 0) FROM (VALUES (NULL::"char"), (\'x\')) AS x(v)' },
  ],
  invalid: [
    { sql: WRONG_ARGS, method: 'error', findings: [at(WRONG_ARGS, 'date_trunc')] },
    { sql: NOT_AGGREGATE, outcome: 'error', findings: [at(NOT_AGGREGATE, 'lower')] },
    { sql: QUALIFIED_UNNEST, outcome: 'error', findings: [at(QUALIFIED_UNNEST, 'pg_catalog')] },
    { sql: PROCEDURE, outcome: 'error', findings: [at(PROCEDURE, 'drop_old_time_partitions')], notOnPostgres: 'a Citus procedure' },
    { sql: SELECT_LIST_UNNEST, outcome: 'error', findings: [at(SELECT_LIST_UNNEST, 'unnest')] },
  ],
};

ruleTests('undefined-function', cases);
