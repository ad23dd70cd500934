/**
 * Incremental re-analysis (src/server/incremental.ts) must give exactly what a whole analysis gives: a
 * differential test over thousands of edits (typing, deleting, breaking quotes and semicolons, inserting DDL,
 * SET, transactions, directives) on real documents, comparing statements, findings (with their fixes), the parse
 * and the model after each edit, and the syntax errors a newly opened document shows first with the analysis'.
 * It also checks that an ordinary edit analyses only what it can change.
 */
import { strict as assert } from 'node:assert';
import { analyzeDocument, type AnalyzeOptions } from '../../src/core/analyze';
import { disableParseMemo, enableParseMemo, isParseMemoEnabled, loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { applyDocumentDdl } from '../../src/core/workspace';
import type { Finding, StatementResult } from '../../src/core/types';
import { analyzeIncrementally, copyOf, correspondence, newIncrementalStats, syntaxErrors, testWholeFile, unitsOf, type IncrementalStats, type PreviousAnalysis } from '../../src/server/incremental';
import { parseDocument } from '../../src/core/parse/document';
import { prng } from '../../scripts/groundtruth/rng';
import { editSequence, FK_BLOCKS, jsonlStatements, MIXED, testDocuments, testModels, type TestDocument } from '../support/documents';

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

describe('incremental re-analysis (language server)', function () {
  this.timeout(120_000);
  let documents: () => TestDocument[];
  let corpusModel: SchemaModel;
  let mixedModel: SchemaModel;
  let fkModel: SchemaModel;

  before(async () => {
    await loadParser();
    // (the server memoises parses (each edit parses only its statement); the tests run both ways)
    const models = testModels();
    documents = () => testDocuments(models);
    ({ corpus: corpusModel, mixed: mixedModel, fk: fkModel } = models);
  });

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
    // the copy analysed holds the edited statement and the SETs (stateful), not the other statements' text
    const kept = analyzeDocument(text, corpusModel).parsed.statements.filter((s) => /^\s*(SET|RESET)\b/i.test(s.text) || (s.start <= at && at < s.end));
    const keptLength = kept.reduce((n, s) => n + s.text.length, 0);
    assert.ok(stats[1].copied !== undefined && stats[1].copied < keptLength + 2 * 248 + 600, `copy of ${stats[1].copied} characters for ${keptLength} kept`);
  });

  it("compacts the copy it analyses, and uses its results only where they can be moved back to the text's places", () => {
    const text = 'INSERT INTO zz_daily SELECT tenant_id, at::date, count(*) FROM zz_events GROUP BY 1, 2;\nSELECT\n  1;\n-- kept\nINSERT INTO zz_daily SELECT tenant_id, at::date, count(*) FROM zz_events GROUP BY 1, 2 LIMIT 5;\n';
    const parsed = parseDocument(text);
    const units = unitsOf(parsed);
    assert.equal(units.length, 3);
    const keep = [true, false, true];
    const copy = copyOf(text, text.length, units, keep, true);
    // the blanked statement keeps its `;` and its line break, nothing else; the text between statements stays
    assert.equal(copy.text, text.replace('SELECT\n  1;', '\n;'));
    const removed = 'SELECT\n  1'.length - 1;
    assert.deepEqual([...copy.kept].map(([k, span]) => [k, span.shift]), [[0, 0], [2, removed]]);
    const analysis = analyzeDocument(copy.text, mixedModel);
    assert.ok(correspondence(analysis, parsed, units, copy, keep), 'the copy corresponds');
    // a finding of the third statement whose fix edits the first one cannot be moved back by one shift
    const third = analysis.findings.find((f) => f.statementIndex === 1);
    assert.ok(third, 'the LIMIT statement has a finding');
    const elsewhere = { ...third, fix: { title: 'edit elsewhere', edits: [{ range: { start: 0, end: 6 }, newText: 'x' }] } };
    const doctored = { ...analysis, findings: analysis.findings.map((f) => (f === third ? elsewhere : f)) };
    assert.equal(correspondence(doctored, parsed, units, copy, keep), undefined);
    // ... unless the statement is not analysed again (its results are not used), or the copy keeps every offset
    assert.ok(correspondence(doctored, parsed, units, copy, [true, false, false]));
    const blanked = copyOf(text, text.length, units, keep, false);
    assert.equal(blanked.text.length, text.length);
    const whole = analyzeDocument(blanked.text, mixedModel);
    const moved = whole.findings.map((f) => (f.statementIndex === 1 ? { ...f, fix: elsewhere.fix } : f));
    assert.ok(correspondence({ ...whole, findings: moved }, parsed, units, blanked, keep));
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

  it('notices a reason to analyse the whole file that an edit makes, testing only the text around the edit', () => {
    // pieces of every whole-file test, typed, deleted and joined across lines and semicolons; after each edit the
    // analysis is whole exactly when the text before or after the edit has a reason (tested on the whole text)
    const pieces = ['REFER', 'ENCES', ' REFERENCES ', ';', ';\n', '\n', ' ', 'ALTER TABLE zz_events ', 'ALTER', ' TABLE', 'FOREIGN', ' KEY', 'FROM', ' STDIN', '\n\\c', '\\', 'c ', '\\connect', '-- citus-rollups-', 'disable-file', 'x'];
    const base = 'SELECT 1;\nINSERT INTO zz_daily SELECT tenant_id, at::date, count(*) FROM zz_events GROUP BY 1, 2;\nSELECT 2;\n';
    const rnd = prng(77);
    let made = 0;
    for (let run = 0; run < 120; run++) {
      let text = base;
      let previous: PreviousAnalysis | undefined;
      for (let step = 0; step < 12; step++) {
        const at = Math.floor(rnd() * (text.length + 1));
        const next = rnd() < 0.7 ? text.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 8));
        const stats = newIncrementalStats();
        const got = analyzeIncrementally(previous, next, mixedModel, {}, stats);
        if (previous) {
          const reason = testWholeFile(text) ?? testWholeFile(next);
          const whole = stats.whole !== undefined && stats.whole !== 'the blanked copy split differently';
          assert.equal(whole, reason !== undefined, `${JSON.stringify(text)} -> ${JSON.stringify(next)}: ${stats.whole ?? 'incremental'}`);
          if (reason) assert.equal(stats.whole, reason);
          if (!testWholeFile(text) && testWholeFile(next)) made++;
        }
        previous = { text: next, analysis: got };
        text = next;
      }
    }
    assert.ok(made >= 20, `edits that made a reason: ${made}`);
    // a reason made of lines the edit did not touch: the edit completes it, or joins it by deleting a `;`
    const cases: [string, string][] = [
      ['SELECT 1;\nALTER TABLE zz_events\n  ADD CONSTRAINT f FOREIGN\n  (a) ;\nSELECT 2;\n', 'SELECT 1;\nALTER TABLE zz_events\n  ADD CONSTRAINT f FOREIGN KEY\n  (a) ;\nSELECT 2;\n'],
      ['SELECT 1;\nALTER TABLE zz_events;\nSELECT FOREIGN KEY;\n', 'SELECT 1;\nALTER TABLE zz_events\nSELECT FOREIGN KEY;\n'],
      ['COPY zz_events FROM\n\n STDINX;\nSELECT 1;\n', 'COPY zz_events FROM\n\n STDIN;\nSELECT 1;\n'],
      ['SELECT 1;\n\\cx db\nSELECT 2;\n', 'SELECT 1;\n\\c db\nSELECT 2;\n'],
      ['SELECT 1;\n TABLE zz_events\n  ADD FOREIGN KEY (a) REFERENCE zz (b);\n', 'SELECT 1;\nALTER TABLE zz_events\n  ADD FOREIGN KEY (a) REFERENCE zz (b);\n'],
    ];
    for (const [a, b] of cases) {
      const stats = newIncrementalStats();
      analyzeIncrementally({ text: a, analysis: analyzeIncrementally(undefined, a, mixedModel, {}) }, b, mixedModel, {}, stats);
      assert.equal(testWholeFile(a), undefined, a);
      assert.equal(stats.whole, testWholeFile(b), b);
    }
  });

  it('analyses the whole file when an ALTER TABLE adds a foreign key (a row written before it changes what follows)', () => {
    const setup = "CREATE TABLE zz_r (id int PRIMARY KEY);\nCREATE TABLE zz_d (a int, rid int);\nSELECT 1;\nALTER TABLE zz_d ADD CONSTRAINT zz_d_r FOREIGN KEY (rid) REFERENCES zz_r (id);\nSELECT create_distributed_table('zz_d', 'a');\n";
    // the SELECT becomes an INSERT: the key may no longer exist, and the refusal goes
    const stats = check('fk', [setup, setup.replace('SELECT 1;', 'INSERT INTO zz_d VALUES (1, 1);')], new SchemaModel());
    assert.equal(stats[1].whole, 'ALTER TABLE .. FOREIGN KEY');
    const refusals = (text: string) => analyzeDocument(text, new SchemaModel()).findings.filter((f) => f.rule === 'foreign-key-refused').length;
    assert.deepEqual([refusals(setup), refusals(setup.replace('SELECT 1;', 'INSERT INTO zz_d VALUES (1, 1);'))], [1, 0]);
  });

  it('analyses the whole file when it declares a foreign key (a row written to the referenced table before an INSERT decides it)', () => {
    const setup = 'CREATE TABLE zz_r (id int PRIMARY KEY);\nCREATE TABLE zz_c (k int, r int REFERENCES zz_r);\nSELECT 1;\nINSERT INTO zz_c VALUES (1, 1);\n';
    // the SELECT becomes the referenced row, then the INSERT of the key is typed again: no error once the row is there
    const texts = [setup, setup.replace('SELECT 1;', 'INSERT INTO zz_r VALUES (1);'), setup.replace('SELECT 1;', 'INSERT INTO zz_r VALUES (1);').replace('(1, 1)', '(1,  1)')];
    const stats = check('fk rows', texts, new SchemaModel());
    assert.deepEqual(stats.slice(1).map((s) => s.whole), ['a foreign key (REFERENCES)', 'a foreign key (REFERENCES)']);
    const errors = (text: string) => analyzeDocument(text, new SchemaModel()).findings.filter((f) => f.rule === 'insert-null-dist-column').length;
    assert.deepEqual(texts.map(errors), [1, 0, 0]);
  });
});

