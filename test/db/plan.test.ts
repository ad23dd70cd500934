/**
 * The plan classifier against every recorded plan of the real Citus 13.2.2 corpus: the JSON plans, the text
 * plans and the psql-formatted EXPLAIN samples must all give the recorded `plan_method`.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadParser } from '../../src/core/parse/libpg';
import { parseDocument } from '../../src/core/parse/document';
import { isInsertSelect } from '../../src/core/analyze';
import { classifyJsonPlan, classifyTextPlan, planLines, treeFromJson, treeFromText, planRootFromJson, type PlanTreeNode } from '../../src/db/plan';
import type { Method } from '../../src/core/types';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'citus-corpus');

interface CorpusRecord {
  id: string;
  sql: string;
  method: Method;
  plan_method: Method | null;
  explain: string | null;
  explain_json: unknown;
  task_count: number | null;
}

const records: CorpusRecord[] = fs
  .readFileSync(path.join(CORPUS, 'statements.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as CorpusRecord);

before(async () => {
  await loadParser();
});

function kindOf(sql: string): boolean {
  const doc = parseDocument(sql);
  assert.equal(doc.statements.length, 1, `one statement in ${sql}`);
  return isInsertSelect(doc.statements[0]);
}

function matrix(pairs: Array<[string, string]>): string {
  const m = new Map<string, number>();
  for (const [a, b] of pairs) m.set(`${a} -> ${b}`, (m.get(`${a} -> ${b}`) ?? 0) + 1);
  return [...m].map(([k, v]) => `${String(v).padStart(4)}  ${k}`).join('\n');
}

describe('plan classifier on the Citus corpus', () => {
  const planned = records.filter((r) => r.plan_method !== null);

  it('has the corpus (248 statements, 225 with plans)', () => {
    assert.equal(records.length, 248);
    assert.equal(planned.length, 225);
  });

  it('agrees with plan_method on every JSON plan', () => {
    const wrong: string[] = [];
    const pairs: Array<[string, string]> = [];
    for (const r of planned) {
      const c = classifyJsonPlan(r.explain_json, { isInsertSelect: kindOf(r.sql) });
      pairs.push([r.plan_method!, c.method]);
      if (c.method !== r.plan_method) wrong.push(`${r.id}: expected ${r.plan_method}, got ${c.method} (${c.basis})`);
      if (r.task_count !== null && (c.method === 'pushdown' || c.method === 'router')) {
        if (c.taskCount !== r.task_count) wrong.push(`${r.id}: task count ${c.taskCount} != ${r.task_count}`);
      }
    }
    console.log(`      JSON plans: recorded -> classified\n${matrix(pairs)}`);
    assert.deepEqual(wrong, []);
  });

  it('agrees with plan_method on every text plan', () => {
    const wrong: string[] = [];
    for (const r of planned) {
      const c = classifyTextPlan(r.explain!, { isInsertSelect: kindOf(r.sql) });
      if (c.method !== r.plan_method) wrong.push(`${r.id}: expected ${r.plan_method}, got ${c.method} (${c.basis})`);
      if (r.task_count !== null && (c.method === 'pushdown' || c.method === 'router') && c.taskCount !== r.task_count) {
        wrong.push(`${r.id}: text task count ${c.taskCount} != ${r.task_count}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('gives the plan alone the recorded label too (no statement kind) for every INSERT ... SELECT plan', () => {
    const wrong: string[] = [];
    for (const r of planned.filter((x) => kindOf(x.sql))) {
      const j = classifyJsonPlan(r.explain_json).method;
      const t = classifyTextPlan(r.explain!).method;
      if (j !== r.plan_method || t !== r.plan_method) wrong.push(`${r.id}: ${r.plan_method} json=${j} text=${t}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('builds the same tree shape from JSON and text (labels and task structure)', () => {
    const norm = (l: string): string => l.replace(/\s+/g, ' ').replace(/^Distributed Subplan \S+$/, 'Distributed Subplan').replace(/^(Hash)?SetOp \w+$/, 'SetOp');
    const shape = (n: PlanTreeNode): string => `${norm(n.label)}(${n.children.map(shape).join(',')})`;
    const differ: string[] = [];
    for (const r of planned) {
      const fromJson = treeFromJson(planRootFromJson(r.explain_json)!);
      const fromText = treeFromText(r.explain!)!;
      if (shape(fromJson) !== shape(fromText)) differ.push(`${r.id}\n  json ${shape(fromJson)}\n  text ${shape(fromText)}`);
    }
    assert.deepEqual(differ, []);
  });

  it('extracts the nodes and the worker plan of the shown task', () => {
    const r = records.find((x) => x.id === 'colocated_pushdown_basic-01')!;
    const c = classifyJsonPlan(r.explain_json, { isInsertSelect: true });
    assert.equal(c.method, 'pushdown');
    assert.equal(c.taskCount, 32);
    assert.equal(c.tasksShown, 'One of 32');
    assert.deepEqual(c.nodes, ['host=127.0.0.1 port=9701 dbname=postgres']);
    assert.equal(c.workerPlan?.label, 'Insert on tenant_stats_102232 citus_table_alias');
    const t = classifyTextPlan(r.explain!, { isInsertSelect: true });
    assert.deepEqual(t.nodes, c.nodes);
    assert.equal(t.workerPlan?.label, c.workerPlan?.label);
  });
});

describe('plan classifier on the text EXPLAIN samples', () => {
  const dir = path.join(CORPUS, 'explain-samples');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

  it('has the 24 samples', () => assert.equal(files.length, 24));

  /** Splits a sample into (EXPLAIN statement, psql plan block) pairs. */
  function blocks(text: string): Array<{ sql: string; plan: string }> {
    const out: Array<{ sql: string; plan: string }> = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*QUERY PLAN\s*$/.test(lines[i])) continue;
      let end = i;
      while (end < lines.length && !/^\(\d+ rows?\)$/.test(lines[end].trim())) end++;
      // the statement: the nearest preceding line(s) starting with EXPLAIN, up to the header
      let s = i - 1;
      while (s >= 0 && !/^EXPLAIN\b/.test(lines[s])) s--;
      assert.ok(s >= 0, 'an EXPLAIN before the plan');
      out.push({ sql: lines.slice(s, i).join('\n').replace(/^EXPLAIN\s*(\([^)]*\))?\s*/, ''), plan: lines.slice(i, end + 1).join('\n') });
    }
    return out;
  }

  for (const f of files) {
    it(f, () => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const label = /^-- method: (\w+)/m.exec(text)![1] as Method;
      const bs = blocks(text);
      const insertSelect = bs.filter((b) => kindOf(b.sql));
      if (label === 'error' || /rejects EXPLAIN ANALYZE/.test(text)) {
        // the INSERT..SELECT's own EXPLAIN failed: no plan of it may be recorded
        assert.equal(insertSelect.length, 0);
        for (const b of bs) assert.equal(classifyTextPlan(b.plan, { isInsertSelect: false }).method, 'not_applicable');
        if (label === 'error') assert.match(text, /^ERROR: /m);
        return;
      }
      assert.equal(insertSelect.length, 1, 'one INSERT .. SELECT plan');
      const c = classifyTextPlan(insertSelect[0].plan, { isInsertSelect: true });
      assert.equal(c.method, label, c.basis);
      assert.equal(planLines(insertSelect[0].plan)[0].startsWith(' '), false);
    });
  }

  it('reads costs and actual rows from EXPLAIN ANALYZE text', () => {
    const text = fs.readFileSync(path.join(dir, '22_explain_analyze_pushdown.txt'), 'utf8');
    const c = classifyTextPlan(text, { isInsertSelect: true });
    assert.equal(c.method, 'pushdown');
    assert.equal(c.taskCount, 32);
    assert.deepEqual(c.tree?.cost, { startup: 0, total: 0, rows: 0, width: 0 });
    assert.equal(c.workerPlan?.label, 'Insert on daily_rollup_102203');
    assert.equal(c.workerPlan?.children[0].actual?.rows, 147);
    assert.deepEqual(c.nodes, ['host=127.0.0.1 port=9702 dbname=postgres']);
  });
});

describe('plan classifier edge cases', () => {
  it('returns not_applicable for empty or malformed input', () => {
    assert.equal(classifyJsonPlan('not json').method, 'not_applicable');
    assert.equal(classifyJsonPlan([]).method, 'not_applicable');
    assert.equal(classifyTextPlan('').method, 'not_applicable');
  });

  it('treats a plain PostgreSQL INSERT .. SELECT as not_applicable', () => {
    const c = classifyTextPlan('Insert on b  (cost=0.00..1.00 rows=0 width=0)\n  ->  Seq Scan on a  (cost=0.00..1.00 rows=10 width=8)', { isInsertSelect: true });
    assert.equal(c.method, 'not_applicable');
    assert.equal(c.tree?.children[0].cost?.rows, 10);
  });

  it('treats Task Count 0 as router', () => {
    assert.equal(classifyTextPlan('Custom Scan (Citus Adaptive)\n  Task Count: 0\n  Tasks Shown: All', { isInsertSelect: true }).method, 'router');
  });
});
