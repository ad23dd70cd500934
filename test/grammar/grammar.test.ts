// The Citus injection grammar, tokenised the way VS Code does it: vscode-textmate + oniguruma (via
// vscode-tmgrammar-test), injected into VS Code's own SQL grammar (shipped on npm by tm-grammars), and
// registered exactly as package.json's contributes.grammars registers it.
//
// Two kinds of cases:
// - cases/*.sql with a committed cases/*.sql.snap: the full token/scope snapshot must match.
//   Regenerate after an intended grammar change with UPDATE_GRAMMAR_SNAPSHOTS=1 npx mocha test/grammar
//   and review the .snap diff.
// - assertions/*.sql: inline "-- ^^^ scope" assertions (vscode-tmgrammar-test's unit format) that state
//   what a construct must (or, with "- scope", must not) be scoped as.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index';
import { getVSCodeTokens, parseSnap, renderSnap } from 'vscode-tmgrammar-test/dist/snapshot/index';
import { parseGrammarTestCase, runGrammarTestCase } from 'vscode-tmgrammar-test/dist/unit/index';

const repoRoot = path.join(__dirname, '..', '..');
const casesDir = path.join(__dirname, 'cases');
const assertionsDir = path.join(__dirname, 'assertions');
const updateSnapshots = process.env.UPDATE_GRAMMAR_SNAPSHOTS === '1';

interface ContributedGrammar {
  scopeName: string;
  path: string;
  injectTo?: string[];
  language?: string;
}

function contributedGrammars(): ContributedGrammar[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const grammars: ContributedGrammar[] = manifest.contributes?.grammars ?? [];
  return grammars.map((g) => ({ ...g, path: path.join(repoRoot, g.path) }));
}

function makeRegistry() {
  const baseSql = require.resolve('tm-grammars/grammars/sql.json');
  return createRegistry([{ scopeName: 'source.sql', path: baseSql, language: 'sql' }, ...contributedGrammars()]);
}

function listSql(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
}

describe('Citus injection grammar', () => {
  it('is contributed in package.json as an injection into source.sql', () => {
    const ours = contributedGrammars().find((g) => g.scopeName === 'citus-rollups.injection');
    assert.ok(ours, 'package.json contributes.grammars lacks citus-rollups.injection');
    assert.deepEqual(ours.injectTo, ['source.sql']);
    const grammar = JSON.parse(fs.readFileSync(ours.path, 'utf8'));
    assert.equal(grammar.scopeName, ours.scopeName);
    assert.match(grammar.injectionSelector, /^L:source\.sql\b/);
  });

  describe('snapshots', () => {
    const cases = listSql(casesDir);
    it('has snapshot cases', () => assert.ok(cases.length >= 3, `only ${cases.length} cases in ${casesDir}`));
    for (const file of cases) {
      it(file, async () => {
        const source = fs.readFileSync(path.join(casesDir, file), 'utf8');
        const tokens = await getVSCodeTokens(makeRegistry(), 'source.sql', source);
        const actual = renderSnap(tokens);
        const snapPath = path.join(casesDir, `${file}.snap`);
        if (updateSnapshots) {
          fs.writeFileSync(snapPath, actual, 'utf8');
          return;
        }
        // A missing snapshot is a failure, never a silent "generate and pass".
        assert.ok(fs.existsSync(snapPath), `${file}.snap is missing: run UPDATE_GRAMMAR_SNAPSHOTS=1 npx mocha test/grammar`);
        const expected = fs.readFileSync(snapPath, 'utf8');
        // Parse both sides so that the comparison is per line and per token, not byte-for-byte.
        assert.deepEqual(parseSnap(actual), parseSnap(expected));
      });
    }
  });

  describe('scope assertions', () => {
    const files = listSql(assertionsDir);
    it('has assertion files', () => assert.ok(files.length >= 1));
    for (const file of files) {
      it(file, async () => {
        const text = fs.readFileSync(path.join(assertionsDir, file), 'utf8');
        const testCase = parseGrammarTestCase(text);
        const assertionCount = testCase.assertions.reduce((n, a) => n + a.scopeAssertions.length, 0);
        assert.ok(assertionCount >= 10, `${file}: expected at least 10 scope assertions, parsed ${assertionCount}`);
        const failures = await runGrammarTestCase(makeRegistry(), testCase);
        const report = failures.map((f) =>
          `${file}:${f.line + 1} "${testCase.source[f.srcLine]?.slice(f.start, f.end)}" ` +
          `missing [${f.missing.join(', ')}] unexpected [${f.unexpected.join(', ')}] actual [${f.actual.join(', ')}]`);
        assert.deepEqual(report, []);
      });
    }
  });
});
