/**
 * The labels of the generated ground truth (scripts/groundtruth/label.ts) follow the shared corpus'
 * rules: applied to what the shared corpus recorded for each of its statements (plan text, JSON plan,
 * errors), they give every record the label it has there.
 */
import { strict as assert } from 'node:assert';
import { labelDml, labelInsertSelect, textTaskCount, topTaskCount, isDataDependent } from '../../scripts/groundtruth/label';
import { CORPUS_DIR, readJsonl } from '../../scripts/corpus-lib';
import * as path from 'node:path';

interface Recorded {
  id: string;
  category: string;
  method?: string;
  outcome?: string;
  explain: string | null;
  explain_json?: unknown;
  error: string | null;
  error_phase: string | null;
  error_sqlstate: string | null;
  exec_error?: string | null;
  task_count?: number | null;
}

describe('ground-truth labels', () => {
  it('give every INSERT..SELECT of the shared corpus its recorded method', () => {
    const records = readJsonl<Recorded>(path.join(CORPUS_DIR, 'statements.jsonl')).filter((r) => r.category !== 'not_insert_select');
    assert.ok(records.length > 200);
    const wrong: string[] = [];
    for (const r of records) {
      const got = labelInsertSelect({
        explain: r.explain ?? undefined,
        taskCount: r.explain_json ? topTaskCount(r.explain_json) : undefined,
        explainError: r.error_phase === 'plan' ? { message: r.error ?? '' } : undefined,
        execError: r.exec_error ? { message: r.exec_error.split('\n')[0], sqlstate: r.error_sqlstate ?? undefined } : undefined,
      });
      if (got.method !== r.method) wrong.push(`${r.id}: ${r.method} labelled ${got.method}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('give every DML statement of the shared corpus its recorded outcome', () => {
    const records = readJsonl<Recorded>(path.join(CORPUS_DIR, 'dml.jsonl')).filter((r) => r.category !== 'copy' && r.category !== 'settings');
    assert.ok(records.length > 60);
    const wrong: string[] = [];
    for (const r of records) {
      const err = r.error ? { message: r.error, sqlstate: r.error_sqlstate ?? undefined } : undefined;
      const got = labelDml({ explain: r.explain ?? undefined, taskCount: r.task_count ?? undefined, explainError: r.error_phase === 'plan' ? err : undefined, execError: r.error_phase !== 'plan' ? err : undefined });
      if (got.outcome !== r.outcome) wrong.push(`${r.id}: ${r.outcome} labelled ${got.outcome}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('read the top-level Task Count, not a subplan one', () => {
    const plan = ['Custom Scan (Citus Adaptive)', '  ->  Distributed Subplan 1_1', '        ->  Custom Scan (Citus Adaptive)', '              Task Count: 32', '  Task Count: 1'].join('\n');
    assert.equal(textTaskCount(plan), 1);
    assert.equal(topTaskCount([{ Plan: { 'Distributed Query': { Job: { 'Task Count': 4 } } } }]), 4);
  });

  it('keep the plan method when rows fail on the data, and say error when every row fails', () => {
    const pull = 'Custom Scan (Citus INSERT ... SELECT)\n  INSERT/SELECT method: pull to coordinator';
    const nullRow = { message: 'the partition column of table public.daily cannot be NULL', sqlstate: '22004' };
    assert.equal(labelInsertSelect({ explain: pull, execError: nullRow }).method, 'pull_to_coordinator');
    assert.equal(labelInsertSelect({ explain: pull, execError: nullRow }, true).method, 'error');
    assert.equal(labelInsertSelect({ explain: pull, execError: { message: 'the partition column of table public.daily should have a value', sqlstate: '22004' } }).method, 'error');
    assert.ok(isDataDependent({ message: 'ON CONFLICT DO UPDATE command cannot affect row a second time', sqlstate: '21000' }));
    assert.ok(!isDataDependent({ message: 'cannot execute a distributed query from a query on a shard', sqlstate: 'XX000' }));
  });
});
