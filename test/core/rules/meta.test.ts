/**
 * Every rule has its three parts: source (registered), doc page, literal test table; fixable rules
 * have a test row that applies the fix; the rules index lists every rule.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULE_METAS, SYNTAX_ERROR } from '../../../src/core/rules/registry';
import { RULES } from '../../../src/core/rules/index';

const ROOT = path.join(__dirname, '..', '..', '..');
const DOCS = path.join(ROOT, 'docs', 'rules');
const TESTS = __dirname;
const SOURCES = path.join(ROOT, 'src', 'core', 'rules');
/** files in src/core/rules that are not rules */
const NOT_RULES = new Set(['index.ts', 'registry.ts', 'rule.ts']);

const ids = ALL_RULE_METAS.map((m) => m.id);

function listIds(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length));
}

describe('rules meta', () => {
  it('rule ids are unique, kebab-case, and syntax-error is built in', () => {
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
    for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/, id);
    assert.ok(ids.includes(SYNTAX_ERROR.id));
  });

  for (const meta of ALL_RULE_METAS) {
    describe(meta.id, () => {
      it('has a doc page docs/rules/<id>.md titled with the id', () => {
        const file = path.join(DOCS, `${meta.id}.md`);
        assert.ok(fs.existsSync(file), `missing docs/rules/${meta.id}.md`);
        const first = fs.readFileSync(file, 'utf8').split('\n')[0];
        assert.equal(first.replace(/^#\s*/, '').replace(/`/g, '').trim(), meta.id, 'the first line is "# <id>"');
      });
      it('has a test table test/core/rules/<id>.test.ts', () => {
        const file = path.join(TESTS, `${meta.id}.test.ts`);
        assert.ok(fs.existsSync(file), `missing test/core/rules/${meta.id}.test.ts`);
        const text = fs.readFileSync(file, 'utf8');
        // ruleTests (planner rules) or the rollup rules' rollupRuleTests, for this id
        assert.match(text, /\b(ruleTests|rollupRuleTests)\(/, `${meta.id}.test.ts runs a rule table`);
        assert.ok(text.includes(`'${meta.id}'`), `${meta.id}.test.ts names the rule id '${meta.id}'`);
      });
      if (meta.fixable) {
        it('is fixable, so its table applies a fix (an invalid row with output)', () => {
          const file = path.join(TESTS, `${meta.id}.test.ts`);
          assert.ok(fs.existsSync(file), `missing test/core/rules/${meta.id}.test.ts`);
          // outputs inside describe.skip blocks do not count
          const text = fs.readFileSync(file, 'utf8').split(/describe\.skip\(/)[0];
          assert.match(text, /\boutput:/, `${meta.id} is fixable but no invalid row has an output`);
        });
      }
    });
  }

  it('every doc page belongs to a known rule id', () => {
    const unknown = listIds(DOCS, '.md').filter((id) => id !== 'README' && !ids.includes(id));
    assert.deepEqual(unknown, [], 'doc pages for unknown rule ids');
  });

  it('every rule test table belongs to a known rule id', () => {
    const unknown = listIds(TESTS, '.test.ts').filter((id) => id !== 'meta' && !ids.includes(id));
    assert.deepEqual(unknown, [], 'test tables for unknown rule ids');
  });

  it('every src/core/rules/<id>.ts is registered in RULES', () => {
    const registered = new Set(RULES.map((r) => r.meta.id));
    const files = fs.readdirSync(SOURCES).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f));
    const missing = files.map((f) => f.slice(0, -3)).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'rule files not registered in src/core/rules/index.ts');
    for (const r of RULES) assert.ok(fs.existsSync(path.join(SOURCES, `${r.meta.id}.ts`)), `rule ${r.meta.id} lives in src/core/rules/${r.meta.id}.ts`);
  });

  it('docs/rules/README.md lists every rule, linked to its page, with its severity and fixability', () => {
    const readme = fs.readFileSync(path.join(DOCS, 'README.md'), 'utf8');
    const rows = new Map<string, string>();
    for (const line of readme.split('\n')) {
      const m = /^\|\s*\[`?([a-z-]+)`?\]\(\.\/([a-z-]+)\.md\)\s*\|/.exec(line);
      if (m) {
        assert.equal(m[1], m[2], `link of ${m[1]} points to its own page`);
        rows.set(m[1], line);
      }
    }
    for (const meta of ALL_RULE_METAS) {
      const row = rows.get(meta.id);
      assert.ok(row, `docs/rules/README.md has no row for ${meta.id}`);
      const cells = row.split('|').map((c) => c.trim());
      assert.ok(cells.includes(meta.defaultSeverity), `${meta.id}: default severity ${meta.defaultSeverity} in its row`);
      assert.ok(cells.includes(meta.fixable ? 'yes' : 'no'), `${meta.id}: fixable ${meta.fixable ? 'yes' : 'no'} in its row`);
    }
    assert.deepEqual([...rows.keys()].filter((id) => !ids.includes(id)), [], 'rows for unknown rule ids');
  });
});

describe('README rules table', () => {
  it('lists every rule id, linked to its page', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    for (const m of ALL_RULE_METAS) assert.ok(readme.includes(`[\`${m.id}\`](docs/rules/${m.id}.md)`), `README.md lists ${m.id}`);
  });
});
