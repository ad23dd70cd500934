import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const MIXED = 'SELECT tenant_id FROM events WHERE event_type = tenant_id';
const PLUS = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) + event_type FROM events GROUP BY tenant_id, event_type';
// json has no btree operators: not in ORDER BY (an output column, by position or name) nor GROUP BY (jsonb has them)
const ORDER_JSON = 'SELECT json_agg(event_id) FROM events ORDER BY 1 LIMIT 3';
const ORDER_JSON_NAME = 'SELECT payload::json FROM events ORDER BY payload';
const GROUP_JSON = 'SELECT count(*) FROM events GROUP BY payload::json';

// a column DEFAULT is analysed when CREATE TABLE runs
const DEFAULT_OPERATOR = 'CREATE TABLE dop (ts timestamptz DEFAULT now() + 1)';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT payload, count(*) FROM events GROUP BY payload ORDER BY payload' },
    { sql: 'SELECT json_agg(event_id) FROM events GROUP BY tenant_id ORDER BY tenant_id' },
    { sql: 'SELECT to_json(tenant_id) FROM events ORDER BY to_json(tenant_id)::text' },
    { sql: 'SELECT tenant_id FROM events WHERE event_id = tenant_id' },
    { sql: "SELECT tenant_id FROM events WHERE created_at > now() - interval '1 day'" },
    { sql: "SELECT payload->>'kind' FROM events WHERE payload ? 'kind'" },
    // a multirange's range type decides between the polymorphic candidates (check_generic_type_consistency())
    { sql: 'SELECT nummultirange(numrange(1, 5)) @> numrange(1, 2), numrange(1, 2) <@ nummultirange(numrange(1, 5))' },
    { sql: "SELECT int4multirange(int4range(1, 5)) @> int4multirange(int4range(1, 2)), '{[1,3)}' <@ int4multirange(int4range(1, 5))" },
    // an untyped array literal stays unknown while the operator is chosen: tsvector @@ tsquery
    { sql: "SELECT to_tsvector('simple', event_type) @@ ANY ('{a,b}') FROM events" },
    // operators PostgreSQL's contrib extensions add on built-in types: the cluster may have them (found in contrib's
    // regression files); each case creates its extension first, so PostgreSQL runs it too
    { sql: "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nSELECT event_type % 'click', event_type <-> 'view' FROM events" },
    { sql: "CREATE EXTENSION IF NOT EXISTS intarray;\nSELECT ARRAY[tenant_id, user_id] & ARRAY[1, 2], ARRAY[tenant_id] | 3, # ARRAY[user_id], ARRAY[tenant_id] @@ '1&2' FROM events" },
    { sql: 'CREATE EXTENSION IF NOT EXISTS btree_gist;\nSELECT tenant_id <-> 5, created_at <-> now() FROM events' },
    // an operator the file defines (PostgreSQL's subselect.sql does this inside a block)
    {
      sql: "CREATE FUNCTION zz_int_text_eq(int, text) RETURNS boolean LANGUAGE sql AS 'SELECT $1::text = $2';\nCREATE OPERATOR = (procedure = zz_int_text_eq, leftarg = int, rightarg = text);\nSELECT tenant_id FROM events WHERE tenant_id = event_type",
    },
  ],
  invalid: [
    { sql: DEFAULT_OPERATOR, outcome: 'error', findings: [at(DEFAULT_OPERATOR, 'now() + 1')] },
    { sql: ORDER_JSON, outcome: 'error', findings: [at(ORDER_JSON, 'json_agg')] },
    { sql: ORDER_JSON_NAME, outcome: 'error', findings: [at(ORDER_JSON_NAME, 'payload::json')] },
    { sql: GROUP_JSON, outcome: 'error', findings: [at(GROUP_JSON, 'payload::json')] },
    { sql: MIXED, outcome: 'error', findings: [at(MIXED, 'event_type = tenant_id')] },
    { sql: PLUS, method: 'error', findings: [at(PLUS, 'count(*) + event_type')] },
  ],
};

ruleTests('undefined-operator', cases);
