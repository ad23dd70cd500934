/**
 * Each snippet, expanded with its defaults (placeholders replaced by their default text, as VS Code
 * does when the user tabs through), analyses clean against the corpus schema: INSERT..SELECTs are
 * predicted pushdown and no rule reports anything. The snippets are contributed in package.json.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analyze';
import { loadParser } from '../../src/core/parse/libpg';
import { modelOf } from './helpers';

const ROOT = path.join(__dirname, '..', '..');
const FILE = path.join(ROOT, 'snippets', 'rollups.code-snippets');

/** Expands a VS Code snippet body with the defaults of its placeholders. */
export function expandSnippet(body: string[]): string {
  let text = body.join('\n');
  // ${1:default} (possibly nested), ${1|a,b|} -> first choice, $1 / ${1} -> '', \$ -> $
  for (let i = 0; i < 5; i++) text = text.replace(/\$\{\d+:([^{}]*)\}/g, '$1');
  text = text.replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
  return text.replace(/\\\$/g, '$');
}

describe('rollup snippets', () => {
  before(async () => {
    await loadParser();
  });

  const snippets = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Record<string, { prefix: string[]; body: string[]; description: string }>;

  it('are contributed for SQL in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.ok((pkg.contributes.snippets as { language: string; path: string }[]).some((s) => s.language === 'sql' && path.resolve(ROOT, s.path) === FILE));
    assert.equal(Object.keys(snippets).length, 5);
  });

  it('expand with their defaults to SQL that analyses clean, one by one and in sequence', () => {
    const schema = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'citus-corpus', 'schema.sql'), 'utf8');
    const model = modelOf(schema);
    const expanded = Object.entries(snippets).map(([name, s]) => [name, expandSnippet(s.body)] as const);
    for (const [name, sql] of expanded) assert.doesNotMatch(sql, /\$\{|\$\d/, `${name}: all placeholders expanded`);
    // the rollup table first, so that the others find it
    const all = expanded.map(([, sql]) => sql).join('\n\n');
    const a = analyzeDocument(all, model, { source: 'snippets.sql' });
    assert.deepEqual(a.findings.map((f) => `${f.rule}: ${f.message}`), []);
    const inserts = a.statements.filter((s) => s.kind === 'insert_select');
    assert.equal(inserts.length, 2, 'the upsert snippet and the function body');
    for (const s of inserts) assert.equal(s.prediction.method, 'pushdown', s.prediction.reasons.join(' / '));
    const rollup = a.model.get('public', 'events_daily');
    assert.equal(rollup?.kind, 'hash');
    assert.equal(rollup?.colocationId, model.get('public', 'events')?.colocationId);
    // each one alone (with the rollup table defined) still analyses clean
    for (const [name, sql] of expanded) {
      const one = analyzeDocument(`${expanded[0][1]}\n${expanded[1][1]}\n${sql}`, model);
      assert.deepEqual(one.findings.map((f) => `${f.rule}: ${f.message}`), [], name);
    }
  });
});
