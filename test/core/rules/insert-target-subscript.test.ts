import { at } from './at';
import { CORPUS_SCHEMA, ruleTests } from './harness';

const SCHEMA = `${CORPUS_SCHEMA}
CREATE TABLE tag_rollup (tenant_id int, day date, tags text[], n bigint);
SELECT create_distributed_table('tag_rollup', 'tenant_id', colocate_with => 'events');
CREATE TYPE place AS (city text, country text);
CREATE TABLE place_rollup (tenant_id int, where_ place, n bigint);
SELECT create_distributed_table('place_rollup', 'tenant_id', colocate_with => 'events');
CREATE TABLE local_tags (tenant_id int, tags text[]);`;

const ELEMENT = 'INSERT INTO tag_rollup (tenant_id, day, tags[1], n) SELECT tenant_id, created_at::date, min(event_type), count(*) FROM events GROUP BY 1, 2';
const FIELD = "INSERT INTO place_rollup (tenant_id, where_.city, n) SELECT tenant_id, 'x', count(*) FROM events GROUP BY 1";
// pushdown already fails (LIMIT): Citus prints that reason, then fails on the target list all the same
const WITH_LIMIT = 'INSERT INTO tag_rollup (tenant_id, tags[2]) SELECT tenant_id, event_type FROM events LIMIT 5';

ruleTests('insert-target-subscript', {
  valid: [
    { sql: 'INSERT INTO tag_rollup (tenant_id, day, tags, n) SELECT tenant_id, created_at::date, ARRAY[min(event_type)], count(*) FROM events GROUP BY 1, 2', schema: SCHEMA, method: 'pushdown' },
    // a plain PostgreSQL target is not planned by Citus' INSERT..SELECT planner
    { sql: 'INSERT INTO local_tags (tenant_id, tags[1]) SELECT tenant_id, event_type FROM events', schema: SCHEMA },
  ],
  invalid: [
    { sql: ELEMENT, schema: SCHEMA, method: 'error', findings: [at(ELEMENT, 'tags[1]')] },
    { sql: FIELD, schema: SCHEMA, method: 'error', findings: [at(FIELD, 'where_.city')] },
    { sql: WITH_LIMIT, schema: SCHEMA, method: 'error', findings: [at(WITH_LIMIT, 'tags[2]')] },
  ],
});
