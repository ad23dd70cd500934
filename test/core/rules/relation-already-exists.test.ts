import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Each invalid case fails on PostgreSQL 15 (test/db/semantic.test.ts runs them) and on Citus 13.2.2 with
// `relation "…" already exists`; the first definition stays, as the outcome of the statements after it shows.
const TWICE = 'CREATE TABLE drafts (a int);\nCREATE TABLE drafts (a int, b int)';
// DEFAULT now() of a timestamptz column, gen_random_uuid() of a uuid one: PostgreSQL surely takes them
const TIME_DEFAULT = 'CREATE TABLE visits (id uuid DEFAULT gen_random_uuid(), at timestamptz NOT NULL DEFAULT now());\nCREATE TABLE visits (id int)';
const SCHEMA = 'CREATE SCHEMA app;\nCREATE TABLE app.drafts (a int);\nSET search_path TO app;\nCREATE TABLE drafts (b int)';
// the corrected key never exists: create_distributed_table is refused, the table stays local (recorded on Citus 13.2.2)
const FIRST_STAYS = `CREATE TABLE campaigns (id bigserial PRIMARY KEY, company_id bigint, monthly_budget bigint);
CREATE TABLE campaigns (id bigserial, company_id bigint, monthly_budget bigint, PRIMARY KEY (company_id, id));
SELECT create_distributed_table('campaigns', 'company_id');
UPDATE campaigns SET monthly_budget = monthly_budget * 2 WHERE company_id = 5`;
const PARTITION_AFTER_MIN = "CREATE TABLE m (day date) PARTITION BY RANGE (day);\nCREATE TABLE m_x PARTITION OF m FOR VALUES FROM (MINVALUE) TO ('2024-01-01');\nCREATE TABLE m_1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');\nCREATE TABLE m_1 PARTITION OF m FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')";
const PARTITION = 'CREATE TABLE m (day date) PARTITION BY RANGE (day);\nCREATE TABLE m_1 PARTITION OF m FOR VALUES FROM (\'2024-01-01\') TO (\'2024-02-01\');\nCREATE TABLE m_1 PARTITION OF m FOR VALUES FROM (\'2024-02-01\') TO (\'2024-03-01\')';

// the first CREATE TABLE fails, so the second creates the table (each checked with psql on PostgreSQL 15, autocommit);
// in one transaction, as test/db/semantic.test.ts runs a case, the failure would abort the rest
const FIRST_FAILS = 'the first CREATE fails: in one transaction the rest is not run';

export const cases: RuleTable = {
  valid: [
    { sql: 'CREATE TABLE drafts (a int);\nCREATE TABLE IF NOT EXISTS drafts (a int, b int)' },
    { sql: 'CREATE TABLE drafts (a int);\nDROP TABLE drafts;\nCREATE TABLE drafts (a int, b int)' },
    // (its own transaction: the last CREATE is committed in the test database, so the table has a name of its own)
    { sql: 'BEGIN;\nCREATE TABLE drafts_tx (a int);\nROLLBACK;\nCREATE TABLE drafts_tx (a int, b int)' },
    { sql: 'CREATE SCHEMA app;\nCREATE TABLE drafts (a int);\nCREATE TABLE app.drafts (a int)' },
    { sql: 'CREATE TABLE drafts (a int);\nALTER TABLE drafts RENAME TO old_drafts;\nCREATE TABLE drafts (a int, b int)' },
    // a table of the base model (another file, a snapshot): the workspace may drop it first, nothing is said
    { sql: 'CREATE TABLE events (tenant_id int, day date)', notOnPostgres: 'events is in the base schema the test database loads' },
    // a CREATE TABLE the model cannot be sure ran (Citus' regression files create tables that fail on purpose, then
    // create them again): in BEGIN .. COMMIT (an error turns the COMMIT into a ROLLBACK), under SET ROLE, with a
    // foreign key to a Citus table, a temporary table; and what DROP EXTENSION may have dropped
    { sql: 'BEGIN;\nCREATE TABLE drafts_c (a int);\nCOMMIT;\nCREATE TABLE drafts_c (a int, b int)', notOnPostgres: 'the first CREATE was kept here' },
    { sql: 'SET ROLE app_writer;\nCREATE TABLE drafts (a int);\nRESET ROLE;\nCREATE TABLE drafts (a int, b int)', notOnPostgres: 'no such role in the test database' },
    { sql: 'CREATE TABLE drafts (tenant_id int REFERENCES ref_tenants (tenant_id));\nCREATE TABLE drafts (tenant_id int)', notOnPostgres: 'the first CREATE ran here' },
    { sql: 'CREATE TEMP TABLE drafts (a int);\nCREATE TEMP TABLE drafts (a int, b int)', notOnPostgres: 'the first CREATE ran here' },
    { sql: 'CREATE TABLE drafts (a int);\nDROP EXTENSION IF EXISTS hstore CASCADE;\nCREATE TABLE drafts (a int, b int)', notOnPostgres: 'hstore did not hold the table' },
    // a definition the model cannot check may have failed (PostgreSQL's regression files do this on purpose), and a
    // temporary table lives in the session's own schema
    { sql: 'CREATE TABLE drafts (a int, a int);\nCREATE TABLE drafts (a int, b int)', notOnPostgres: FIRST_FAILS },
    { sql: 'CREATE TABLE drafts (a no_such_type);\nCREATE TABLE drafts (a int)', notOnPostgres: FIRST_FAILS },
    { sql: 'CREATE TABLE drafts (a int, b int UNIQUE) PARTITION BY RANGE (a);\nCREATE TABLE drafts (a int, b int)', notOnPostgres: FIRST_FAILS },
    { sql: 'CREATE TABLE drafts (a int GENERATED ALWAYS AS IDENTITY NULL);\nCREATE TABLE drafts (a int)', notOnPostgres: FIRST_FAILS },
    { sql: 'CREATE TABLE parents (id int PRIMARY KEY, code int);\nCREATE TABLE drafts (a int REFERENCES parents (code));\nCREATE TABLE drafts (a int)', notOnPostgres: FIRST_FAILS },
    { sql: 'CREATE TABLE drafts (a int);\nCREATE TEMP TABLE drafts (a int, b int)' },
    // DROP TABLE drops the partitions of its partitions too
    { sql: "CREATE TABLE m (day date) PARTITION BY RANGE (day);\nCREATE TABLE m_1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (day);\nCREATE TABLE m_1_1 PARTITION OF m_1 FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');\nDROP TABLE m;\nCREATE TABLE m_1_1 (day date)" },
    // a partition whose bound the model cannot judge (another partition of the parent it is not sure of) may have failed
    // psql's \c may connect to another database
    { sql: 'CREATE TABLE drafts (a int);\n\\c other\nCREATE TABLE drafts (a int, b int)', notOnPostgres: 'a psql meta-command' },
  ],
  invalid: [
    { sql: TWICE, findings: [at(TWICE, 'drafts', 2)] },
    { sql: TIME_DEFAULT, findings: [at(TIME_DEFAULT, 'visits', 2)] },
    { sql: SCHEMA, findings: [at(SCHEMA, 'drafts', 2)] },
    { sql: FIRST_STAYS, outcome: 'local', findings: [at(FIRST_STAYS, 'campaigns', 2)] },
    // a partition whose bound the model accepted (partition-bound-refused) is surely created
    { sql: PARTITION, findings: [at(PARTITION, 'm_1', 2)] },
    // also beside a partition FROM (MINVALUE), whose bound the model now orders
    { sql: PARTITION_AFTER_MIN, findings: [at(PARTITION_AFTER_MIN, 'm_1', 2)] },
  ],
};

ruleTests('relation-already-exists', cases);
