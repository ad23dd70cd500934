/**
 * Documents and random edits shared by the differential tests of the analyses that must give exactly what a whole
 * `analyzeDocument` gives (test/server/incremental.test.ts, test/core/analyzeRange.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prng } from '../../scripts/groundtruth/rng';
import { analyzeDocument } from '../../src/core/analyze';
import { SchemaModel } from '../../src/core/schema/model';
import { applyDocumentDdl } from '../../src/core/workspace';

export const ROOT = path.join(__dirname, '..', '..');
export const CORPUS = path.join(ROOT, 'test', 'fixtures', 'citus-corpus');
export const read = (...p: string[]): string => fs.readFileSync(path.join(ROOT, ...p), 'utf8');

export function jsonlStatements(file: string): string {
  return fs
    .readFileSync(path.join(CORPUS, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { sql: string }).sql.replace(/;\s*$/, '') + ';\n')
    .join('');
}

/** A document with every kind of statement that can change what follows it, and a few that share a line. */
export const MIXED = `-- a schema, a session and rollups in one file
CREATE TABLE zz_events (tenant_id int, id bigint, kind text, at timestamptz);
SELECT create_distributed_table('zz_events', 'tenant_id');
CREATE TABLE zz_daily (tenant_id int, day date, n bigint, PRIMARY KEY (tenant_id, day));
SELECT create_distributed_table('zz_daily', 'tenant_id', colocate_with => 'zz_events');
INSERT INTO zz_daily SELECT tenant_id, at::date, count(*) FROM zz_events GROUP BY 1, 2;
SET citus.shard_count = 8; INSERT INTO zz_daily SELECT tenant_id, at::date, 1 FROM zz_events LIMIT 3;
CREATE SCHEMA other;
SET search_path TO other, public;
CREATE TABLE local_t (tenant_id int, v int);
INSERT INTO zz_daily SELECT l.tenant_id, now()::date, sum(v) FROM local_t l GROUP BY 1;
BEGIN;
DROP TABLE zz_daily;
ROLLBACK;
INSERT INTO zz_daily SELECT tenant_id, at::date, count(*) FROM zz_events GROUP BY tenant_id, at::date
  ON CONFLICT (tenant_id, day) DO UPDATE SET n = zz_daily.n + excluded.n;
-- citus-rollups-disable-next-statement limit-offset-blocks-pushdown
INSERT INTO zz_daily SELECT tenant_id, at::date, 1 FROM zz_events LIMIT 1;
CREATE FUNCTION zz_roll() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO zz_daily SELECT tenant_id, at::date, count(*) FROM zz_events GROUP BY 1, 2;
  INSERT INTO zz_daily SELECT kind::int, at::date, 1 FROM zz_events;
END $$;
DO $$ BEGIN INSERT INTO zz_daily SELECT tenant_id, now()::date, 1 FROM zz_events LIMIT 2; END $$;
UPDATE zz_events SET kind = 'x' WHERE id = 1;
DELETE FROM zz_events WHERE tenant_id = 3;
SELECT * FROM WHERE tenant_id = 1;
BEGIN; COMMIT; INSERT INTO zz_daily SELECT 1, now()::date, 1
;
INSERT INTO zz_daily SELECT 2, now()::date, 1;INSERT INTO zz_daily SELECT 3, now()::date, 1 LIMIT 1;
RESET search_path;
INSERT INTO zz_daily SELECT tenant_id, at::date, count(*) FROM zz_events GROUP BY 1, 2
`;

/** A psql script: meta-commands between statements, variables inside them. */
export const PSQL = `\\set tenant 5
INSERT INTO zz_daily SELECT :tenant, now()::date, 1;
SELECT * FROM zz_events WHERE tenant_id = :'tenant';
\\echo done
INSERT INTO zz_daily SELECT tenant_id, at::date, 1 FROM zz_events WHERE kind = :"kind" LIMIT 1;
\\if :verbose
UPDATE zz_events SET kind = :'kind' WHERE tenant_id = :tenant;
\\endif
INSERT INTO zz_daily SELECT :tenant, at::date, count(*) FROM zz_events GROUP BY 2 \\g
DELETE FROM zz_events WHERE id = :id;
`;

/** Foreign keys to reference tables, and transaction blocks whose statements Citus refuses for what came before. */
export const FK_SCHEMA = `CREATE TABLE fk_plans (plan text PRIMARY KEY);
SELECT create_reference_table('fk_plans');
CREATE TABLE fk_tenants (tenant_id int PRIMARY KEY, plan text REFERENCES fk_plans (plan), seen date);
SELECT create_reference_table('fk_tenants');
CREATE TABLE fk_events (tenant_id int, event_id bigint, n int);
SELECT create_distributed_table('fk_events', 'tenant_id');
ALTER TABLE fk_events ADD CONSTRAINT fk_events_tenant FOREIGN KEY (tenant_id) REFERENCES fk_tenants (tenant_id);
`;
export const FK_BLOCKS = `BEGIN;
UPDATE fk_events SET n = n + 1;
UPDATE fk_tenants SET seen = NULL WHERE tenant_id = 3;
ROLLBACK;
BEGIN;
SELECT count(*) FROM fk_events;
SAVEPOINT s;
UPDATE fk_tenants SET seen = NULL WHERE tenant_id = 4;
ROLLBACK TO SAVEPOINT s;
DELETE FROM fk_plans WHERE plan = 'x';
COMMIT;
UPDATE fk_tenants SET seen = NULL WHERE tenant_id = 5;
BEGIN;
UPDATE fk_tenants SET seen = NULL WHERE tenant_id = 6;
UPDATE fk_events SET n = 0;
UPDATE fk_tenants SET seen = NULL WHERE tenant_id = 7;
END;
`;

/** Enum types changed by DDL and inside a DO block (which makes the model forget them). */
export const ENUMS = `CREATE TYPE st AS ENUM ('a', 'b');
CREATE TABLE et (id int, s st, code varchar(2));
INSERT INTO et VALUES (1, 'a', 'xy');
SELECT * FROM et WHERE s = 'c';
DO $$ BEGIN ALTER TYPE st ADD VALUE 'c'; END $$;
SELECT * FROM et WHERE s = 'c';
CREATE TYPE st2 AS ENUM ('x');
ALTER TYPE st2 ADD VALUE 'y';
UPDATE et SET code = 'xyz' WHERE s IN ('a', 'z');
`;

/** Text that edits type: characters, and whole statements that change the model or the session. */
export const SNIPPETS = [
  ' ',
  'x',
  ';',
  "'",
  '"',
  '(',
  ')',
  '\n',
  '$$',
  '--',
  '/*',
  '*/',
  ' LIMIT 5',
  ' GROUP BY 1',
  '\nCREATE TABLE zz_new (tenant_id int, day date);\n',
  "\nSELECT create_distributed_table('zz_new', 'tenant_id');\n",
  '\nDROP TABLE zz_events;\n',
  '\nSET search_path TO other;\n',
  '\nSET citus.shard_count = 4;\n',
  '\nBEGIN;\n',
  '\nROLLBACK;\n',
  '\nCOMMIT;\n',
  ' WHERE tenant_id = 1',
  '\n-- citus-rollups-disable-next-statement\n',
  '\nINSERT INTO zz_daily SELECT tenant_id, at::date, 1 FROM zz_events LIMIT 1;\n',
  ' SET citus.shard_count = 2; ',
];

/**
 * One edit: insert a snippet, delete a few characters, replace a few with a snippet, or overwrite a few characters
 * (the text keeps its length: nothing after the edit moves).
 */
export function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const kind = rnd();
  const snippet = SNIPPETS[Math.floor(rnd() * SNIPPETS.length)];
  if (kind < 0.4) return text.slice(0, at) + snippet + text.slice(at);
  const n = 1 + Math.floor(rnd() * 6);
  if (kind < 0.65) return text.slice(0, at) + text.slice(at + n);
  if (kind < 0.8) return text.slice(0, at) + snippet + text.slice(at + n);
  const same = snippet.repeat(n).slice(0, Math.min(n, text.length - at));
  return text.slice(0, at) + same + text.slice(at + same.length);
}

export function editSequence(start: string, seed: number, count: number): string[] {
  const rnd = prng(seed);
  const texts = [start];
  for (let i = 0; i < count; i++) texts.push(edit(texts[texts.length - 1], rnd));
  return texts;
}

/** The read-only state changed where the model cannot follow (a DO block, set_config), and followed again. */
export const READ_ONLY_OPAQUE = `SET default_transaction_read_only = on;
INSERT INTO zz_events VALUES (1, 1, 'a', now());
DO $$ BEGIN EXECUTE 'SET default_transaction_read_only = off'; END $$;
INSERT INTO zz_events VALUES (2, 1, 'a', now());
RESET default_transaction_read_only;
BEGIN READ ONLY;
SELECT set_config('transaction_read_only', 'off', true);
UPDATE zz_events SET kind = 'b';
ROLLBACK;
SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;
DELETE FROM zz_events WHERE tenant_id = 1;
`;


export interface TestModels {
  corpus: SchemaModel;
  workspace: SchemaModel;
  mixed: SchemaModel;
  fk: SchemaModel;
}

/** The models the documents are analysed against (the parser must be loaded). */
export function testModels(): TestModels {
  const corpus = new SchemaModel();
  applyDocumentDdl(corpus, { source: 'schema.sql', text: fs.readFileSync(path.join(CORPUS, 'schema.sql'), 'utf8') });
  const workspace = new SchemaModel();
  applyDocumentDdl(workspace, { source: 'schema.sql', text: read('test', 'fixtures', 'workspace', 'schema.sql') });
  return { corpus, workspace, mixed: analyzeDocument(MIXED, new SchemaModel()).model, fk: analyzeDocument(FK_SCHEMA, new SchemaModel()).model };
}

export interface TestDocument {
  name: string;
  text: string;
  base: SchemaModel;
  /** how many random edits a test makes of it */
  edits: number;
}

/** Real documents with every kind of statement that can change what follows it, each with its model. */
/**
 * Foreign keys to tables the file creates and fills (planner/dml.ts foreignKeyError): whether a key's INSERT fails
 * depends on every write before it, to the referenced table or elsewhere.
 */
export const FK_ROWS = `CREATE TABLE fk_r (id int PRIMARY KEY, v text);
CREATE TABLE fk_c (k int, r int REFERENCES fk_r (id));
CREATE TABLE fk_pair (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE fk_full (a int, b int, FOREIGN KEY (a, b) REFERENCES fk_pair MATCH FULL);
INSERT INTO fk_c VALUES (1, 1);
INSERT INTO fk_c VALUES (2, NULL);
CREATE TABLE fk_other (x int);
INSERT INTO fk_other VALUES (1);
INSERT INTO fk_c VALUES (3, 3);
INSERT INTO fk_full VALUES (1, NULL);
CREATE VIEW fk_rv AS SELECT id FROM fk_r;
INSERT INTO fk_c (k) VALUES (4);
INSERT INTO fk_r VALUES (5, 'five');
INSERT INTO fk_c VALUES (5, 5);
CREATE TABLE fk_d (k int, r int DEFAULT 7 REFERENCES fk_r);
INSERT INTO fk_d (k) VALUES (1);
BEGIN;
INSERT INTO fk_pair VALUES (1, 2);
INSERT INTO fk_full VALUES (1, 2);
ROLLBACK;
SELECT create_reference_table('fk_r');
INSERT INTO fk_c VALUES (6, 6);
`;

export function testDocuments(m: TestModels): TestDocument[] {
  return [
    { name: 'the 248 corpus statements', text: jsonlStatements('statements.jsonl'), base: m.corpus, edits: 60 },
    { name: 'the DML corpus', text: jsonlStatements('dml.jsonl').replace(/^COPY[^\n]*STDIN[^\n]*\n/gim, ''), base: m.corpus, edits: 60 },
    { name: 'a mixed document', text: MIXED, base: new SchemaModel(), edits: 150 },
    { name: 'a mixed document with Windows line ends (CRLF)', text: MIXED.replace(/\n/g, '\r\n'), base: new SchemaModel(), edits: 100 },
    { name: 'a mixed document with old Mac line ends (CR)', text: MIXED.replace(/\n/g, '\r'), base: new SchemaModel(), edits: 60 },
    { name: 'examples/does-not-push-down.sql', text: read('examples', 'does-not-push-down.sql'), base: m.workspace, edits: 100 },
    { name: 'test/fixtures/workspace/rollups.sql', text: read('test', 'fixtures', 'workspace', 'rollups.sql'), base: m.workspace, edits: 100 },
    { name: 'examples/schema.sql', text: read('examples', 'schema.sql'), base: new SchemaModel(), edits: 60 },
    { name: 'a psql script', text: PSQL, base: m.mixed, edits: 100 },
    { name: 'transaction blocks with foreign keys to reference tables', text: FK_BLOCKS, base: m.fk, edits: 120 },
    { name: 'enum types and a DO block that changes one', text: ENUMS, base: new SchemaModel(), edits: 100 },
    { name: 'read-only transactions (probe file)', text: read('test', 'fixtures', 'probes', 'sql', 'read-only-transactions.sql'), base: new SchemaModel(), edits: 100 },
    { name: 'read-only state changed out of sight', text: READ_ONLY_OPAQUE, base: m.mixed, edits: 100 },
    { name: 'foreign keys to tables the file fills', text: FK_ROWS, base: new SchemaModel(), edits: 120 },
  ];
}
