/**
 * Table tests for the rollup-correctness rules: literal rows `{ sql, schema?, findings: [{ id, line, column }] }`
 * analysed by analyzeDocument (corpus schema unless a row brings its own). For each finding with a fix,
 * the fix is applied, the text re-parsed and re-analysed, and that finding must be gone.
 */
import { strict as assert } from 'node:assert';
import { analyze, applyEdits } from '../core/rules/harness';
import { loadParser } from '../../src/core/parse/libpg';
import { LineIndex } from '../../src/core/parse/offsets';

export interface Row {
  sql: string;
  schema?: string;
  findings: { id: string; line: number; column: number }[];
  /** the text after applying the first finding's fix (rows whose rule is fixable) */
  output?: string;
}

export function rollupRuleTests(id: string, rows: { valid: Row[]; invalid: Row[] }): void {
  describe(`rule ${id}`, () => {
    before(async () => {
      await loadParser();
    });
    for (const [i, row] of [...rows.valid, ...rows.invalid].entries()) {
      it(`${i < rows.valid.length ? 'valid' : 'invalid'} #${i + 1}: ${row.sql.replace(/\s+/g, ' ').slice(0, 80)}`, () => {
        const a = analyze(row.sql, row.schema);
        assert.deepEqual(a.findings.filter((f) => f.rule === 'syntax-error'), [], 'the case parses');
        const lines = new LineIndex(row.sql);
        const found = a.findings.filter((f) => f.rule === id);
        assert.deepEqual(
          found.map((f) => ({ id: f.rule, line: lines.position(f.range.start).line + 1, column: lines.position(f.range.start).character + 1 })),
          row.findings,
          found.map((f) => f.message).join(' | '),
        );
        for (const f of found) assert.ok(f.range.end > f.range.start && f.message && f.explanation);
        if (row.output !== undefined) {
          assert.ok(found[0]?.fix, 'the finding carries a fix');
          const fixed = applyEdits(row.sql, found[0].fix.edits);
          assert.equal(fixed, row.output);
          const again = analyze(fixed, row.schema);
          assert.deepEqual(again.findings.filter((f) => f.rule === 'syntax-error'), [], 'the fixed text parses');
          assert.equal(again.findings.filter((f) => f.rule === id).length, found.length - 1, 'the fixed finding is gone');
        }
      });
    }
  });
}
