/**
 * Incremental re-analysis (src/server/incremental.ts) must give exactly what a whole analysis gives: a
 * differential test over thousands of edits (typing, deleting, breaking quotes and semicolons, inserting DDL,
 * SET, transactions, directives) on real documents, comparing statements, findings (with their fixes), the parse
 * and the model after each edit, and the syntax errors a newly opened document shows first with the analysis'.
 * It also checks that an ordinary edit analyses only what it can change.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, type AnalyzeOptions } from '../../src/core/analyze';
import { disableParseMemo, enableParseMemo, isParseMemoEnabled, loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { applyDocumentDdl } from '../../src/core/workspace';
import { prng } from '../../scripts/groundtruth/rng';
import type { Finding, StatementResult } from '../../src/core/types';
import { analyzeIncrementally, newIncrementalStats, syntaxErrors, type IncrementalStats, type PreviousAnalysis } from '../../src/server/incremental';

const ROOT = path.join(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'citus-corpus');
const read = (...p: string[]): string => fs.readFileSync(path.join(ROOT, ...p), 'utf8');

function jsonlStatements(file: string): string {
  return fs
    .readFileSync(path.join(CORPUS, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { sql: string }).sql.replace(/;\s*$/, '') + ';\n')
    .join('');
}

/** A document with every kind of statement that can change what follows it, and a few that share a line. */
const MIXED = `-- a schema, a session and rollups in one file
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
const PSQL = `\\set tenant 5
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
const FK_SCHEMA = `CREATE TABLE fk_plans (plan text PRIMARY KEY);
SELECT create_reference_table('fk_plans');
CREATE TABLE fk_tenants (tenant_id int PRIMARY KEY, plan text REFERENCES fk_plans (plan), seen date);
SELECT create_reference_table('fk_tenants');
CREATE TABLE fk_events (tenant_id int, event_id bigint, n int);
SELECT create_distributed_table('fk_events', 'tenant_id');
ALTER TABLE fk_events ADD CONSTRAINT fk_events_tenant FOREIGN KEY (tenant_id) REFERENCES fk_tenants (tenant_id);
`;
const FK_BLOCKS = `BEGIN;
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
const ENUMS = `CREATE TYPE st AS ENUM ('a', 'b');
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
const SNIPPETS = [
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
function edit(text: string, rnd: () => number): string {
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

function check(name: string, texts: string[], base: SchemaModel, options: AnalyzeOptions = {}): IncrementalStats[] {
  let previous: PreviousAnalysis | undefined;
  const all: IncrementalStats[] = [];
  const summary = { whole: 0, reused: 0, analysed: 0 };
  texts.forEach((text, step) => {
    const stats = newIncrementalStats();
    const got = analyzeIncrementally(previous, text, base, options, stats);
    const want = analyzeDocument(text, base, options);
    const where = `${name}, step ${step} (${stats.whole ?? `reused ${stats.reused}, analysed ${stats.analysed}`})`;
    assert.deepStrictEqual(got.statements, want.statements, `statements differ: ${where}`);
    assert.deepStrictEqual(got.findings, want.findings, `findings differ: ${where}`);
    assert.deepStrictEqual(got.model, want.model, `model differs: ${where}`);
    assert.equal(got.parsed.statements.length, want.parsed.statements.length, where);
    got.parsed.statements.forEach((g, i) => {
      const w = want.parsed.statements[i];
      const fields = (x: typeof g) => ({ index: x.index, start: x.start, end: x.end, leadingStart: x.leadingStart, text: x.text, parentIndex: x.parentIndex, variables: x.variables, psqlVariables: x.psqlVariables, error: x.error });
      assert.deepStrictEqual(fields(g), fields(w), `parsed statement ${i} differs: ${where}`);
      // positions in the tree map to the same document offsets (the trees may come from parses of other texts)
      const gl = locations(g.ast);
      const wl = locations(w.ast);
      assert.deepStrictEqual(gl.map((l) => g.toDocumentOffset(l)), wl.map((l) => w.toDocumentOffset(l)), `tree positions of statement ${i} differ: ${where}`);
    });
    // the first diagnostics of a newly opened document: its syntax errors, without a model
    const first = syntaxErrors(text, options);
    const at = (f: Finding, statements: StatementResult[]) => ({ ...f, statementIndex: statements[f.statementIndex].range.start });
    assert.ok(first, `the syntax errors' copy splits like the text: ${where}`);
    assert.deepStrictEqual(
      first.findings.map((f) => at(f, first.statements)),
      want.findings.filter((f) => f.rule === 'syntax-error').map((f) => at(f, want.statements)),
      `syntax errors differ: ${where}`,
    );
    previous = { text, analysis: got };
    all.push(stats);
    if (stats.whole) summary.whole++;
    summary.reused += stats.reused;
    summary.analysed += stats.analysed;
  });
  if (process.env.CITUS_ROLLUPS_TEST_VERBOSE) process.stderr.write(`${name}: ${JSON.stringify(summary)}\n`);
  return all;
}

/** The first few `location` fields of a parse tree, depth first. */
function locations(node: unknown, out: number[] = []): number[] {
  if (out.length >= 6 || !node || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'location' && typeof value === 'number') out.push(value);
    else locations(value, out);
  }
  return out;
}

function editSequence(start: string, seed: number, count: number): string[] {
  const rnd = prng(seed);
  const texts = [start];
  for (let i = 0; i < count; i++) texts.push(edit(texts[texts.length - 1], rnd));
  return texts;
}

/** The read-only state changed where the model cannot follow (a DO block, set_config), and followed again. */
const READ_ONLY_OPAQUE = `SET default_transaction_read_only = on;
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

describe('incremental re-analysis (language server)', function () {
  this.timeout(120_000);
  let corpusModel: SchemaModel;
  let workspaceModel: SchemaModel;
  let mixedModel: SchemaModel;
  let fkModel: SchemaModel;

  before(async () => {
    await loadParser();
    // the server memoises parses (each edit parses only its statement); the tests run both ways
    corpusModel = new SchemaModel();
    applyDocumentDdl(corpusModel, { source: 'schema.sql', text: fs.readFileSync(path.join(CORPUS, 'schema.sql'), 'utf8') });
    mixedModel = analyzeDocument(MIXED, new SchemaModel()).model;
    fkModel = analyzeDocument(FK_SCHEMA, new SchemaModel()).model;
    workspaceModel = new SchemaModel();
    applyDocumentDdl(workspaceModel, { source: 'schema.sql', text: read('test', 'fixtures', 'workspace', 'schema.sql') });
  });

  const documents = (): { name: string; text: string; base: SchemaModel; edits: number }[] => [
    { name: 'the 248 corpus statements', text: jsonlStatements('statements.jsonl'), base: corpusModel, edits: 60 },
    { name: 'the DML corpus', text: jsonlStatements('dml.jsonl').replace(/^COPY[^\n]*STDIN[^\n]*\n/gim, ''), base: corpusModel, edits: 60 },
    { name: 'a mixed document', text: MIXED, base: new SchemaModel(), edits: 150 },
    { name: 'examples/does-not-push-down.sql', text: read('examples', 'does-not-push-down.sql'), base: workspaceModel, edits: 100 },
    { name: 'test/fixtures/workspace/rollups.sql', text: read('test', 'fixtures', 'workspace', 'rollups.sql'), base: workspaceModel, edits: 100 },
    { name: 'examples/schema.sql', text: read('examples', 'schema.sql'), base: new SchemaModel(), edits: 60 },
    { name: 'a psql script', text: PSQL, base: mixedModel, edits: 100 },
    { name: 'transaction blocks with foreign keys to reference tables', text: FK_BLOCKS, base: fkModel, edits: 120 },
    { name: 'enum types and a DO block that changes one', text: ENUMS, base: new SchemaModel(), edits: 100 },
    { name: 'read-only transactions (probe file)', text: read('test', 'fixtures', 'probes', 'sql', 'read-only-transactions.sql'), base: new SchemaModel(), edits: 100 },
    { name: 'read-only state changed out of sight', text: READ_ONLY_OPAQUE, base: mixedModel, edits: 100 },
  ];

  for (const seed of [1, 2, 3]) {
    it(`gives exactly the whole analysis' results after each of many random edits (seed ${seed})`, () => {
      for (const doc of documents()) check(doc.name, editSequence(doc.text, seed * 7919 + doc.text.length, doc.edits), doc.base);
    });
  }

  it('gives the same results with the parse memo on, as in the server', () => {
    const wasOn = isParseMemoEnabled();
    enableParseMemo();
    try {
      for (const doc of documents()) check(`${doc.name} (memo)`, editSequence(doc.text, 4242 + doc.text.length, 40), doc.base);
    } finally {
      if (!wasOn) disableParseMemo();
    }
  });

  it("re-analyses a transaction block's later statements when one of its statements changes", () => {
    const single = FK_BLOCKS.replace('UPDATE fk_events SET n = n + 1;', 'UPDATE fk_events SET n = n + 1 WHERE tenant_id = 1;');
    const errors = (text: string) => analyzeDocument(text, fkModel).findings.filter((f) => f.rule === 'reference-table-after-parallel-access').length;
    // (the edit takes the first block's UPDATE to one shard: the reference table's UPDATE after it is no longer refused)
    assert.equal(errors(FK_BLOCKS), 3);
    assert.equal(errors(single), 2);
    const stats = check('an edit inside a block', [FK_BLOCKS, single, FK_BLOCKS, FK_BLOCKS.replace('BEGIN;\nUPDATE fk_events', 'UPDATE fk_events')], fkModel);
    assert.ok(stats.slice(1).every((s) => !s.whole), 'incremental, not whole');
  });

  it('re-analyses what follows a statement that changes the read-only state out of sight', () => {
    const opaque = `SET default_transaction_read_only = on;
INSERT INTO zz_events VALUES (1, 1, 'a', now());
DO $$ BEGIN EXECUTE 'SET default_transaction_read_only = off'; END $$;
INSERT INTO zz_events VALUES (2, 1, 'a', now());
`;
    const followed = opaque.replace("EXECUTE 'SET default_transaction_read_only = off'", 'PERFORM 1');
    const refused = (text: string): number => analyzeDocument(text, mixedModel).findings.filter((f) => f.rule === 'read-only-transaction').length;
    // (with the DO block the model no longer knows the default: the INSERT after it is not reported)
    assert.equal(refused(opaque), 1);
    assert.equal(refused(followed), 2);
    check('a DO block edited', [opaque, followed, opaque], mixedModel);
  });

  it('applies severity settings the same way', () => {
    const options: AnalyzeOptions = { severities: { 'limit-offset-blocks-pushdown': 'error', 'unknown-table': 'off', 'syntax-error': 'warning' } };
    check('mixed, with settings', editSequence(MIXED, 99, 120), new SchemaModel(), options);
  });

  it('follows edits of the directives and of the lines a statement shares with others', () => {
    const start = `SET citus.multi_shard_commit_protocol = '2pc'; INSERT INTO zz_daily SELECT 1, now()::date, 1;
INSERT INTO zz_daily SELECT tenant_id, at::date, 1 FROM zz_events LIMIT 1; -- citus-rollups-disable-next-statement
INSERT INTO zz_daily SELECT tenant_id, at::date, 1 FROM zz_events LIMIT 2;
-- citus-rollups-disable-next-statement limit-offset-blocks-pushdown
INSERT INTO zz_daily SELECT tenant_id, at::date, 1 FROM zz_events LIMIT 3;
SET citus.multi_shard_commit_protocol = '2pc';
INSERT INTO zz_daily SELECT tenant_id, at::date, 1 FROM zz_events LIMIT 4;
SET citus.multi_shard_commit_protocol = '2pc'
;   SELECT 1;
`;
    const steps: ((t: string) => string)[] = [
      (t) => t.replace('limit-offset-blocks-pushdown\n', 'unknown-table\n'), // same length before, other rule
      (t) => t.replace('-- citus-rollups-disable-next-statement unknown-table', '-- citus-rollups-disable-next-statement'),
      (t) => t.replace('LIMIT 1; -- citus-rollups-disable-next-statement', 'LIMIT 1; -- citus-rollups-disable-next-statemenX'),
      (t) => t.replace('LIMIT 1; -- citus-rollups-disable-next-statemenX', 'LIMIT 1; -- citus-rollups-disable-next-statement'),
      (t) => t.replace(" INSERT INTO zz_daily SELECT 1, now()::date, 1;\n", '\n'), // the SET now has its line to itself
      (t) => t.replace("SET citus.multi_shard_commit_protocol = '2pc';\n", "SET citus.multi_shard_commit_protocol = '2pc'; SELECT 1;\n"),
      (t) => t.replace('SELECT 1;\n', 'SELECT 2;\n'), // same length, after the SET on its line
      (t) => t.replace("'2pc'; SELECT 2;", "'2pc';         "), // same length: the SET's line is its own again
      (t) => t.replace('LIMIT 4', 'LIMIT 5'),
      (t) => t.replace("'2pc'\n;   SELECT 1;", "'2pc'\n;"), // the line the SET ends on is its own now: its fix takes the line
      (t) => `${t}SET citus.multi_shard_commit_protocol = '2pc'`,
      (t) => `${t};`,
    ];
    const texts = [start];
    for (const step of steps) {
      const next = step(texts[texts.length - 1]);
      assert.notEqual(next, texts[texts.length - 1], `step ${texts.length} changes the text`);
      texts.push(next);
    }
    const base = new SchemaModel();
    applyDocumentDdl(base, { source: 'schema.sql', text: MIXED.split('INSERT')[0] });
    check('directives and shared lines', texts, base);
  });

  it('analyses only the edited statement when typing in an INSERT..SELECT', () => {
    const text = jsonlStatements('statements.jsonl');
    const at = text.indexOf('SELECT', text.length >> 1);
    const stats = check('one character', [text, text.slice(0, at) + ' ' + text.slice(at)], corpusModel);
    assert.equal(stats[1].whole, undefined);
    assert.equal(stats[1].analysed, 1);
    assert.equal(stats[1].reused, 247);
  });

  it('analyses a DDL statement that changed and everything after it, and nothing before it', () => {
    const at = MIXED.indexOf('CREATE TABLE local_t (tenant_id int');
    const edited = MIXED.slice(0, at) + MIXED.slice(at).replace('v int', 'v bigint');
    const stats = check('DDL edit', [MIXED, edited], new SchemaModel());
    const before = analyzeDocument(MIXED.slice(0, at), new SchemaModel()).parsed.statements.filter((s) => s.parentIndex === undefined).length;
    assert.equal(stats[1].reused, before);
    assert.ok(stats[1].analysed > 10);
  });

  it('drops the model of DDL that was deleted at the end of the file', () => {
    const withDdl = `${MIXED};\nCREATE TABLE zz_last (tenant_id int);\n`;
    check('last DDL deleted', [withDdl, `${MIXED};\n`, `${MIXED};\nSET search_path TO other;`, `${MIXED};\n`], new SchemaModel());
  });

  it('lets a last statement without `;` take in what is typed on the lines after it', () => {
    const open = 'INSERT INTO zz_daily SELECT tenant_id, at::date, count(*) FROM zz_events GROUP BY 1, 2\n';
    check('unterminated end', [open, `${open}\n LIMIT 5`, `${open}\n LIMIT 5;`, `${open}\n LIMIT 5;\nSELECT 1`], mixedModel);
  });

  it('analyses the whole file when a file-level directive or COPY data is in it', () => {
    const directive = `-- citus-rollups-disable-file limit-offset-blocks-pushdown\n${MIXED}`;
    assert.equal(check('directive', [directive, directive + ' '], new SchemaModel())[1].whole, 'file-level directive');
    const copy = `${MIXED};\nCOPY zz_events FROM STDIN;\n1\t2\tx\t2024-01-01\n\\.\n`;
    assert.equal(check('copy', [copy, copy.replace('\tx\t', '\ty\t')], new SchemaModel())[1].whole, 'COPY ... FROM STDIN data');
  });

  it('analyses the whole file when an ALTER TABLE adds a foreign key (a row written before it changes what follows)', () => {
    const setup = "CREATE TABLE zz_r (id int PRIMARY KEY);\nCREATE TABLE zz_d (a int, rid int);\nSELECT 1;\nALTER TABLE zz_d ADD CONSTRAINT zz_d_r FOREIGN KEY (rid) REFERENCES zz_r (id);\nSELECT create_distributed_table('zz_d', 'a');\n";
    // the SELECT becomes an INSERT: the key may no longer exist, and the refusal goes
    const stats = check('fk', [setup, setup.replace('SELECT 1;', 'INSERT INTO zz_d VALUES (1, 1);')], new SchemaModel());
    assert.equal(stats[1].whole, 'ALTER TABLE .. FOREIGN KEY');
    const refusals = (text: string) => analyzeDocument(text, new SchemaModel()).findings.filter((f) => f.rule === 'foreign-key-refused').length;
    assert.deepEqual([refusals(setup), refusals(setup.replace('SELECT 1;', 'INSERT INTO zz_d VALUES (1, 1);'))], [1, 0]);
  });
});

