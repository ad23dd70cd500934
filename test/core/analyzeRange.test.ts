/**
 * `analyzeDocument` with a range (the CLI's threads each analyse a range of a large file, src/cli/parallel.ts) must
 * give exactly what the whole analysis gives for the statements that start in the range: a differential test that
 * cuts real documents, and random edits of them, at random offsets and compares the ranges' results, put end to
 * end, with the whole analysis'.
 */
import { strict as assert } from 'node:assert';
import { analyzeDocument, type AnalyzeOptions } from '../../src/core/analyze';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import type { DocumentAnalysis } from '../../src/core/types';
import { prng } from '../../scripts/groundtruth/rng';
import { editSequence, jsonlStatements, testDocuments, testModels, type TestDocument } from '../support/documents';

/** The analyses of the ranges between `cuts` (offsets, ascending), end to end. */
function inRanges(text: string, base: SchemaModel, cuts: number[], options: AnalyzeOptions = {}): DocumentAnalysis {
  const bounds = [0, ...cuts, text.length + 1];
  const out: DocumentAnalysis = { statements: [], findings: [] };
  for (let k = 0; k + 1 < bounds.length; k++) {
    const part = analyzeDocument(text, base, { ...options, range: { from: bounds[k], to: bounds[k + 1] } });
    out.statements.push(...part.statements);
    out.findings.push(...part.findings);
  }
  return out;
}

function check(name: string, text: string, base: SchemaModel, rnd: () => number, options: AnalyzeOptions = {}): void {
  const want = analyzeDocument(text, base, options);
  const count = 1 + Math.floor(rnd() * 4);
  const cuts = [...new Set(Array.from({ length: count }, () => Math.floor(rnd() * text.length)))].sort((a, b) => a - b);
  const got = inRanges(text, base, cuts, options);
  assert.deepStrictEqual(got.statements, want.statements, `statements differ: ${name}, cut at ${cuts.join(', ')}`);
  assert.deepStrictEqual(got.findings, want.findings, `findings differ: ${name}, cut at ${cuts.join(', ')}`);
}

describe('analyzeDocument on a range of the statements (the CLI splitting a file between threads)', function () {
  this.timeout(120_000);
  let documents: TestDocument[];

  before(async () => {
    await loadParser();
    documents = testDocuments(testModels());
  });

  for (const seed of [11, 12]) {
    it(`gives exactly the whole analysis' results for the statements in the range (documents and random edits of them, seed ${seed})`, () => {
      const rnd = prng(seed);
      let compared = 0;
      for (const doc of documents) {
        for (const text of editSequence(doc.text, seed * 104729 + doc.text.length, Math.ceil(doc.edits / 4))) {
          check(doc.name, text, doc.base, rnd);
          compared++;
        }
      }
      assert.ok(compared > 200, `${compared} texts compared`);
    });
  }

  it('applies severity settings the same way', () => {
    const rnd = prng(5);
    const options: AnalyzeOptions = { severities: { 'limit-offset-blocks-pushdown': 'error', 'unknown-table': 'off', 'syntax-error': 'warning' } };
    for (const doc of documents.slice(0, 4)) check(`${doc.name}, with settings`, doc.text, doc.base, rnd, options);
  });

  it('leaves out the statements outside the range, and runs only what changes the model through', () => {
    const text = `CREATE TABLE rr (tenant_id int, v int);
SELECT create_distributed_table('rr', 'tenant_id');
INSERT INTO rr SELECT tenant_id, v FROM rr LIMIT 1;
CREATE TABLE rr_daily (tenant_id int, v int);
INSERT INTO rr_daily SELECT tenant_id, v FROM rr;
`;
    const at = text.indexOf('CREATE TABLE rr_daily');
    const whole = analyzeDocument(text, new SchemaModel());
    const second = analyzeDocument(text, new SchemaModel(), { range: { from: at, to: text.length } });
    assert.deepEqual(second.statements.map((s) => s.index), [3, 4]);
    assert.deepStrictEqual(second.statements, whole.statements.slice(3));
    // (rr is distributed in the second range's model: the INSERT into the local table pulls to the coordinator)
    assert.equal(second.statements[1].prediction.method, whole.statements[4].prediction.method);
    assert.notEqual(whole.statements[4].prediction.method, 'not_applicable');
    const first = analyzeDocument(text, new SchemaModel(), { range: { from: 0, to: at } });
    assert.deepEqual(first.statements.map((s) => s.index), [0, 1, 2]);
  });

  it('covers every statement once whatever the cuts (the corpus cut in 2, 3 and 7)', () => {
    const text = jsonlStatements('statements.jsonl');
    const { corpus } = testModels();
    const whole = analyzeDocument(text, corpus);
    for (const parts of [2, 3, 7]) {
      const cuts = Array.from({ length: parts - 1 }, (_, k) => Math.floor(((k + 1) * text.length) / parts));
      const got = inRanges(text, corpus, cuts);
      assert.equal(got.statements.length, whole.statements.length);
      assert.deepStrictEqual(got, { statements: whole.statements, findings: whole.findings });
    }
  });
});
