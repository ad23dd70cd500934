/**
 * The rule tester: literal tables of valid and invalid statements per rule id (after typescript-eslint's
 * RuleTester). Statements are analysed against the corpus schema (a real Citus cluster's tables) unless
 * a case brings its own schema. Lines and columns are 1-based, as editors show them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadOlderGrammar, loadParser } from '../../../src/core/parse/libpg';
import { LineIndex } from '../../../src/core/parse/offsets';
import { SchemaModel } from '../../../src/core/schema/model';
import { applyDocumentDdl } from '../../../src/core/workspace';
import type { Finding, Method, TextEdit } from '../../../src/core/types';

export const CORPUS_SCHEMA = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'citus-corpus', 'schema.sql'), 'utf8');

export interface RuleCase {
  sql: string;
  /** DDL for this case (default: the corpus schema) */
  schema?: string;
  /** expected method of the first INSERT..SELECT */
  method?: Method;
  /** expected outcome of the last statement (DML: UPDATE, DELETE, MERGE, COPY, SET, INSERT .. VALUES) */
  outcome?: string;
  /**
   * PostgreSQL's own checks are also run on a real PostgreSQL (test/db/semantic.test.ts); a valid case that
   * only the model accepts (an extension's function, a table it does not know) says why here.
   */
  notOnPostgres?: string;
  /** the cluster's PostgreSQL version the project declares (`cluster.postgresVersion`); default: none */
  postgresVersion?: number;
  /**
   * PostgreSQL's check is the executor's (LIMIT / OFFSET), which EXPLAIN does not make: test/db/semantic.test.ts runs
   * the statement for real, in a rolled-back transaction, instead of through EXPLAIN
   */
  executes?: true;
  /** the date the statements are taken to run on (AnalyzeOptions.today); default: none, so CURRENT_DATE is not followed */
  today?: string;
}

export interface RuleTable {
  valid: RuleCase[];
  invalid: InvalidCase[];
}

export interface InvalidCase extends RuleCase {
  /** every finding of the rule under test, in order, 1-based */
  findings: { line: number; column: number }[];
  /** the statement after applying the first finding's fix */
  output?: string;
  /** the method the fixed statement must reach (default: any better method than before) */
  outputMethod?: Method;
  /** a statement without a method or outcome (a Citus call): the fix must remove the finding, as for DML */
  fixRemovesFinding?: true;
}

/** How good a method is for a rollup: a fix must move a statement up this list. */
export const METHOD_RANK: Record<Method, number> = { error: 0, pull_to_coordinator: 1, repartition: 2, router: 3, pushdown: 3, not_applicable: -1 };

const models = new Map<string, SchemaModel>();
function modelFor(schema: string, postgresVersion?: number): SchemaModel {
  const key = `${postgresVersion ?? ''}:${schema}`;
  let m = models.get(key);
  if (!m) {
    m = new SchemaModel();
    m.postgresMajor = postgresVersion;
    applyDocumentDdl(m, { source: 'schema.sql', text: schema });
    models.set(key, m);
  }
  return m;
}

export function analyze(sql: string, schema = CORPUS_SCHEMA, postgresVersion?: number, today?: string): ReturnType<typeof analyzeDocument> {
  return analyzeDocument(sql, modelFor(schema, postgresVersion), { source: 'case.sql', today });
}

export function firstMethod(sql: string, schema = CORPUS_SCHEMA): Method | undefined {
  return analyze(sql, schema).statements.find((s) => s.kind === 'insert_select')?.prediction.method;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

export function ruleTests(id: string, cases: RuleTable): void {
  describe(`rule ${id}`, () => {
    before(async () => {
      await loadParser();
      for (const c of [...cases.valid, ...cases.invalid]) await loadOlderGrammar(c.postgresVersion);
    });
    for (const [i, c] of cases.valid.entries()) {
      it(`valid #${i + 1}: ${oneLine(c.sql)}`, () => {
        const a = analyze(c.sql, c.schema, c.postgresVersion, c.today);
        const found = a.findings.filter((f) => f.rule === id);
        assert.deepEqual(found.map(describeFinding), [], `unexpected ${id} finding`);
        if (c.method) assert.equal(a.statements.find((s) => s.kind === 'insert_select')?.prediction.method, c.method);
        if (c.outcome) assert.equal(lastOutcome(a), c.outcome);
        assertFailuresShown(a);
      });
    }
    for (const [i, c] of cases.invalid.entries()) {
      it(`invalid #${i + 1}: ${oneLine(c.sql)}`, () => {
        const a = analyze(c.sql, c.schema, c.postgresVersion, c.today);
        const lines = new LineIndex(c.sql);
        const found = a.findings.filter((f) => f.rule === id);
        const at = found.map((f) => {
          const p = lines.position(f.range.start);
          return { line: p.line + 1, column: p.character + 1 };
        });
        assert.deepEqual(at, c.findings, `findings of ${id}: ${found.map(describeFinding).join('; ')}`);
        if (c.method) assert.equal(a.statements.find((s) => s.kind === 'insert_select')?.prediction.method, c.method);
        if (c.outcome) assert.equal(lastOutcome(a), c.outcome);
        for (const f of found) assert.ok(f.message.length > 0 && f.range.end > f.range.start, 'finding has a message and a non-empty range');
        assertFailuresShown(a);
        if (c.output !== undefined) {
          const fix = found[0]?.fix;
          assert.ok(fix, `${id} finding carries a fix`);
          const fixed = applyEdits(c.sql, fix.edits);
          assert.equal(fixed, c.output);
          const before = a.statements.find((s) => s.kind === 'insert_select')?.prediction.method ?? 'not_applicable';
          const after = analyze(fixed, c.schema, c.postgresVersion);
          assert.ok(after.findings.every((f) => f.rule !== 'syntax-error'), 'the fixed statement parses');
          if (c.outcome !== undefined || c.fixRemovesFinding) {
            // DML cases (and Citus calls): the fix removes the finding and the statement no longer fails
            assert.ok(!after.findings.some((f) => f.rule === id), `the fix removes the ${id} finding`);
            assert.notEqual(lastOutcome(after), 'error', 'the fixed statement does not fail');
          } else {
            const method = after.statements.find((s) => s.kind === 'insert_select')?.prediction.method ?? 'not_applicable';
            assert.ok(METHOD_RANK[method] > METHOD_RANK[before], `fix improves the method (${before} -> ${method})`);
            if (c.outputMethod) assert.equal(method, c.outputMethod, `the fixed statement is ${method}: ${after.statements.find((s) => s.kind === 'insert_select')?.prediction.reasons.join(' | ')}`);
          }
        }
      });
    }
  });
}

/**
 * Every statement predicted to fail (INSERT..SELECT method or DML outcome `error`) shows an error-severity finding,
 * whatever its rule's usual severity: an editor user sees the failure as an error. (A statement in a transaction a
 * failed statement aborted has PostgreSQL's `current transaction is aborted` and no finding of its own.)
 */
function assertFailuresShown(a: ReturnType<typeof analyzeDocument>): void {
  for (const s of a.statements) {
    if (s.prediction.method !== 'error' && s.outcome !== 'error') continue;
    if (s.prediction.reasons.some((r) => r.includes('current transaction is aborted'))) continue;
    const own = a.findings.filter((f) => f.statementIndex === s.index);
    assert.ok(
      own.some((f) => f.severity === 'error'),
      `statement ${s.index} fails (${s.prediction.reasons[0] ?? s.prediction.summary}) but shows no error: ${own.map((f) => `${f.rule}:${f.severity}`).join(', ') || 'no finding'}`,
    );
  }
}

/** The outcome of the last top-level statement (DML cases put setup statements first). */
export function lastOutcome(a: ReturnType<typeof analyzeDocument>): string | undefined {
  const top = a.statements.filter((s) => s.parentIndex === undefined);
  return top[top.length - 1]?.outcome;
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 90 ? s.slice(0, 87) + '...' : s;
}

function describeFinding(f: Finding): string {
  return `${f.rule}@${f.range.start}: ${f.message}`;
}
