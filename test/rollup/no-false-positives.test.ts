/**
 * The rollup-correctness rules say nothing about the corpus (real statements recorded on a Citus
 * 13.2.2 cluster) nor about the seed examples: zero false positives.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analyze';
import { loadParser } from '../../src/core/parse/libpg';
import { parseDocument } from '../../src/core/parse/document';
import { buildSchema } from '../../src/core/workspace';
import { SchemaModel } from '../../src/core/schema/model';
import { modelOf } from './helpers';

const ROLLUP_RULES = ['upsert-overwrites-aggregate', 'non-mergeable-aggregate-upsert', 'upsert-min-max-merge', 'rollup-window-without-lag', 'rollup-key-without-dist-column'];
const CORPUS = path.join(__dirname, '..', 'fixtures', 'citus-corpus');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

describe('rollup rules: no false positives', () => {
  before(async () => {
    await loadParser();
  });

  it('on every statement of the corpus (statements.jsonl, dml.jsonl)', () => {
    const model = modelOf(fs.readFileSync(path.join(CORPUS, 'schema.sql'), 'utf8'));
    let n = 0;
    for (const file of ['statements.jsonl', 'dml.jsonl']) {
      for (const line of fs.readFileSync(path.join(CORPUS, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const { id, sql } = JSON.parse(line) as { id: string; sql: string };
        const found = analyzeDocument(sql, model).findings.filter((f) => ROLLUP_RULES.includes(f.rule));
        assert.deepEqual(found.map((f) => `${f.rule}: ${f.message}`), [], id);
        n++;
      }
    }
    assert.ok(n >= 300, `${n} statements`);
  });

  it('on the corpus schema itself and on the seed examples', () => {
    const schema = fs.readFileSync(path.join(CORPUS, 'schema.sql'), 'utf8');
    assert.deepEqual(analyzeDocument(schema, new SchemaModel()).findings.filter((f) => ROLLUP_RULES.includes(f.rule)), []);
    const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.sql'));
    assert.ok(files.length >= 3);
    const docs = files.map((f) => {
      const text = fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
      return { source: f, text, parsed: parseDocument(text) };
    });
    for (const doc of docs) {
      const a = analyzeDocument(doc.text, buildSchema(new SchemaModel(), docs, doc.source), { source: doc.source });
      assert.deepEqual(a.findings.filter((f) => ROLLUP_RULES.includes(f.rule)).map((f) => `${f.rule}: ${f.message}`), [], doc.source);
    }
  });
});
