import { at } from './at';
import { ruleTests } from './harness';

const SCHEMA = `
CREATE TABLE events (tenant_id bigint NOT NULL, id bigint NOT NULL, user_id bigint, kind text, PRIMARY KEY (tenant_id, id));
SELECT create_distributed_table('events', 'tenant_id');
CREATE TABLE users (tenant_id bigint NOT NULL, user_id bigint NOT NULL, PRIMARY KEY (tenant_id, user_id));
SELECT create_distributed_table('users', 'tenant_id', colocate_with => 'events');
CREATE TABLE daily (tenant_id bigint NOT NULL, kind text, n bigint);
SELECT create_distributed_table('daily', 'tenant_id', colocate_with => 'events');
CREATE TABLE by_user (user_id bigint NOT NULL, kind text, n bigint);
SELECT create_distributed_table('by_user', 'user_id');
`;

const NULLABLE = 'INSERT INTO by_user (user_id, kind, n) SELECT e.user_id, e.kind, count(*) FROM events e GROUP BY e.user_id, e.kind';
const OUTER = 'INSERT INTO daily (tenant_id, kind, n) SELECT u.tenant_id, e.kind, 1 FROM events e LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.user_id = e.user_id';
const AGGREGATE = "INSERT INTO daily (tenant_id, kind, n) SELECT max(e.tenant_id), 'all', count(*) FROM events e WHERE e.kind = 'x'";
const MERGE = 'MERGE INTO by_user t USING (SELECT user_id AS k, kind, count(*) AS n FROM events GROUP BY 1, 2) s ON t.user_id = s.k AND t.kind = s.kind WHEN NOT MATCHED THEN INSERT (user_id, kind, n) VALUES (s.k, s.kind, s.n)';
const SCALAR = "INSERT INTO daily (tenant_id, kind, n) SELECT (SELECT max(u.tenant_id) FROM users u), e.kind, 1 FROM events e";

ruleTests('dist-column-null-at-runtime', {
  valid: [
    // a NOT NULL distribution column, pushed down
    { sql: 'INSERT INTO daily (tenant_id, kind, n) SELECT e.tenant_id, e.kind, count(*) FROM events e GROUP BY e.tenant_id, e.kind', schema: SCHEMA, method: 'pushdown' },
    // filtered / defaulted
    { sql: 'INSERT INTO by_user (user_id, kind, n) SELECT coalesce(e.user_id, 0), e.kind, 1 FROM events e', schema: SCHEMA, method: 'repartition' },
    // the preserved side of an outer join
    { sql: 'INSERT INTO daily (tenant_id, kind, n) SELECT e.tenant_id, e.kind, 1 FROM events e LEFT JOIN users u ON u.tenant_id = e.tenant_id', schema: SCHEMA, method: 'pushdown' },
    // an aggregate per group of a NOT NULL column
    { sql: "INSERT INTO daily (tenant_id, kind, n) SELECT max(e.tenant_id), e.kind, 1 FROM events e GROUP BY e.kind", schema: SCHEMA, method: 'pull_to_coordinator' },
  ],
  invalid: [
    { sql: NULLABLE, schema: SCHEMA, method: 'pull_to_coordinator', findings: [at(NULLABLE, 'e.user_id')] },
    { sql: OUTER, schema: SCHEMA, method: 'pushdown', findings: [at(OUTER, 'u.tenant_id')] },
    { sql: AGGREGATE, schema: SCHEMA, method: 'pull_to_coordinator', findings: [at(AGGREGATE, 'max(')] },
    { sql: SCALAR, schema: SCHEMA, method: 'repartition', findings: [at(SCALAR, '(SELECT')] },
    // a MERGE through the coordinator that inserts a nullable source column
    { sql: MERGE, schema: SCHEMA, outcome: 'coordinator', findings: [at(MERGE, '(s.k', 1, 1)] },
  ],
});
