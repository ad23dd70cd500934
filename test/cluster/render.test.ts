/** The EXPLAIN panel's HTML (pure rendering): escaping of hostile identifiers, CSP, accessibility hooks. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bugReportMarkdown, escapeHtml, isMismatch, methodLabel, renderExplainHtml, type ExplainView } from '../../src/client/cluster/render';
import { classifyTextPlan, classifyJsonPlan, predictionAgrees } from '../../src/db/plan';

const HOSTILE = `<script>alert("x")</script>'"\`&`;
const OPTIONS = { nonce: 'N0nce123', cspSource: 'https://webview.example', scriptUri: 'https://webview.example/media/explain/explain.js', styleUri: 'https://webview.example/media/explain/explain.css' };

function hostileView(): ExplainView {
  const table = `"${HOSTILE.replace(/"/g, '""')}"`;
  const text = `Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=0 width=0)
  Task Count: 32
  Tasks Shown: One of 32
  ->  Task
        Node: host=<img src=x onerror=alert(1)> port=9701 dbname=postgres
        ->  Insert on ${table}_102232 citus_table_alias  (cost=1.00..2.00 rows=0 width=0)
              ->  Seq Scan on ${table}_102136 events  (cost=0.00..1.00 rows=10 width=8)
                    Filter: (tenant_id IS NOT NULL AND name = '</script><script>alert(2)</script>')`;
  const c = classifyTextPlan(text, { isInsertSelect: true });
  assert.equal(c.method, 'pushdown');
  return {
    file: `dir/${HOSTILE}.sql`,
    line: 3,
    sql: `INSERT INTO ${table} SELECT * FROM ${table}`,
    server: { label: `u@${HOSTILE}:5432/db`, version: '15.20', citus: '13.2-1' },
    method: c.method,
    basis: c.basis,
    taskCount: c.taskCount,
    tasksShown: c.tasksShown,
    nodes: c.nodes,
    reasons: [`DEBUG:  relation ${HOSTILE} is not colocated\nDETAIL:  ${HOSTILE}`],
    notices: [`WARNING:  ${HOSTILE}`],
    error: { message: HOSTILE, detail: HOSTILE, hint: HOSTILE },
    tree: c.tree,
    text,
    predicted: { method: 'repartition', reasons: [`DEBUG:  ${HOSTILE}`], summary: HOSTILE },
    notOnCluster: [],
    schemaMessages: [HOSTILE],
    analyze: { state: 'unavailable', reason: HOSTILE },
    suppressed: { [`${HOSTILE}`]: 3 },
  };
}

describe('EXPLAIN panel HTML', () => {
  it('escapes every identifier and message: the only script is our nonce-d file', () => {
    const html = renderExplainHtml(hostileView(), OPTIONS);
    const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="N0nce123" src="${OPTIONS.scriptUri}">`]);
    assert.ok(!/<img\b/i.test(html), 'no injected img element');
    assert.ok(!/\sonerror=/i.test(html.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '')), 'no injected attribute');
    assert.ok(html.includes(escapeHtml(HOSTILE)), 'the hostile text is shown, escaped');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    // every attribute value is quoted and contains no raw quote or angle bracket from data
    for (const m of html.matchAll(/\s[\w-]+="([^"]*)"/g)) assert.ok(!/[<>]/.test(m[1]), `attribute value ${m[1]}`);
  });

  it('sets a strict CSP: no default sources, scripts only by nonce, styles and images only from the webview', () => {
    const html = renderExplainHtml(hostileView(), OPTIONS);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0nce123'/);
    assert.match(csp, /style-src https:\/\/webview\.example/);
    assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp), csp);
    assert.ok(!/\sstyle="/.test(html), 'no inline styles');
    assert.ok(!/\son\w+="/.test(html), 'no inline event handlers');
  });

  it('shows method, task count, nodes, the worker plan and highlights a mismatch', () => {
    const html = renderExplainHtml(hostileView(), OPTIONS);
    assert.match(html, /class="badge method-pushdown mismatch"/);
    assert.match(html, /Task count: <strong>32<\/strong>/);
    assert.match(html, /worker plan of the shown task/);
    assert.match(html, /data-command="report"/);
    assert.match(html, /role="tree"/);
    assert.match(html, /<summary>/, 'collapsible nodes are details/summary (keyboard accessible)');
    assert.match(html, /cost=1\.00\.\.2\.00 rows=0 width=0/);
  });

  it('offers EXPLAIN ANALYZE only when allowed, and no bug report when prediction agrees', () => {
    const v = hostileView();
    v.predicted = { method: 'pushdown', reasons: [] };
    v.analyze = { state: 'available' };
    const html = renderExplainHtml(v, OPTIONS);
    assert.match(html, /data-command="analyze"/);
    assert.ok(!html.includes('data-command="report"'));
    assert.match(html, /agrees with the cluster/);
  });

  it('renders every corpus JSON plan without throwing', () => {
    const file = path.join(__dirname, '..', 'fixtures', 'citus-corpus', 'statements.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
    let rendered = 0;
    for (const l of lines) {
      const r = JSON.parse(l) as { explain_json: unknown; explain: string | null; sql: string };
      if (!r.explain_json) continue;
      const c = classifyJsonPlan(r.explain_json);
      const v: ExplainView = { ...hostileView(), method: c.method, tree: c.tree, text: r.explain, sql: r.sql, taskCount: c.taskCount, nodes: c.nodes };
      assert.match(renderExplainHtml(v, OPTIONS), /<\/html>$/);
      rendered++;
    }
    assert.equal(rendered, 225);
  });

  it('writes a bug report whose fences cannot be broken by backticks in the statement', () => {
    const v = hostileView();
    v.sql = 'SELECT ```not a fence``` FROM t';
    const md = bugReportMarkdown(v);
    assert.match(md, /^# Prediction mismatch: predicted repartition, cluster pushdown/);
    assert.match(md, /````\nSELECT ```not a fence``` FROM t\n````/);
  });

  it('compares the outcome of an UPDATE / DELETE / MERGE, whose method is not_applicable on both sides', () => {
    const v = hostileView();
    v.method = 'not_applicable';
    v.outcome = 'multi_shard';
    v.predicted = { method: 'not_applicable', outcome: 'coordinator', reasons: [] };
    assert.equal(isMismatch(v), true, 'multi_shard on the cluster, coordinator predicted');
    const html = renderExplainHtml(v, OPTIONS);
    assert.ok(html.includes('data-command="report"'), 'a bug report is offered');
    assert.match(html.replace(/<[^>]+>/g, ''), /On the cluster not a Citus INSERT … SELECT — multi shard/);
    assert.match(bugReportMarkdown(v), /^# Prediction mismatch: predicted coordinator, cluster multi_shard/);
    v.predicted = { method: 'not_applicable', outcome: 'multi_shard', reasons: [] };
    assert.equal(isMismatch(v), false);
    assert.match(renderExplainHtml(v, OPTIONS), /The prediction agrees with the cluster/);
    // a statement Citus refuses: method error on the cluster, outcome error on both sides
    v.method = 'error';
    v.outcome = 'error';
    v.predicted = { method: 'not_applicable', outcome: 'error', reasons: [] };
    assert.equal(isMismatch(v), false);
    // an INSERT..SELECT still compares methods
    assert.equal(predictionAgrees({ method: 'pushdown' }, { method: 'repartition' }), false);
    assert.equal(predictionAgrees({ method: 'pushdown' }, { method: 'pushdown' }), true);
  });

  it('does not call a predicted error raised only when the row is written a mismatch: EXPLAIN does not run the statement', () => {
    const v = hostileView();
    v.method = 'not_applicable';
    v.outcome = 'single_shard';
    v.predicted = { method: 'not_applicable', outcome: 'error', reasons: ['ERROR:  new row for relation "ev_2024" violates partition constraint'] };
    assert.equal(isMismatch(v), false);
    const html = renderExplainHtml(v, OPTIONS);
    assert.ok(!html.includes('data-command="report"'), 'no bug report');
    assert.match(html, /Not checked: this error is raised when the statement runs/);
    // what a worker refuses of a planned statement (recorded on Citus 13.2.2 by running it): not checked either
    for (const reason of ['ERROR:  relation "public.local_config" does not exist', 'ERROR:  a column definition list is required for functions returning "record"', 'ERROR:  column reference "is_cycle" is ambiguous']) {
      v.predicted = { method: 'not_applicable', outcome: 'error', reasons: [reason] };
      assert.equal(isMismatch(v), false, reason);
    }
    // a planner error predicted against a plan is still a mismatch
    v.predicted = { method: 'not_applicable', outcome: 'error', reasons: ['ERROR:  complex joins are only supported when all distributed tables are co-located and joined on their distribution columns'] };
    assert.equal(isMismatch(v), true);
  });

  it('says a table is not deployed instead of blaming the prediction: the workspace prediction, no bug report', () => {
    const v = hostileView();
    v.method = 'error';
    v.error = { message: 'relation "daily_language_views" does not exist', sqlState: '42P01' };
    v.predicted = { method: 'pushdown', reasons: [] };
    v.notOnCluster = [{ table: `public.${HOSTILE}`, definedAt: 'schema.sql:27' }];
    assert.equal(isMismatch(v), false);
    const html = renderExplainHtml(v, OPTIONS);
    assert.ok(!html.includes('data-command="report"'), 'no bug report');
    assert.ok(!html.includes('disagree'));
    assert.ok(!/class="badge[^"]*mismatch/.test(html));
    const text = html.replace(/<[^>]+>/g, '');
    assert.ok(text.includes(`Not deployed: public.${escapeHtml(HOSTILE)} (defined at schema.sql:27) is in the workspace but not on the cluster.`), text);
    assert.match(text, /The cluster cannot plan this statement as written until it is created there; the prediction is made with the workspace's definition, as the code lens shows it\./);
    assert.match(html, /Predicted <span class="badge method-pushdown" role="status">pushdown<\/span>/);
  });

  it('explains what it shows: where the method is read from, and the per-shard messages counted per task', () => {
    const v = hostileView();
    v.suppressed = { 'distributed statement:': 32 };
    const html = renderExplainHtml(v, OPTIONS);
    assert.match(html, /Method taken from: top node Custom Scan \(Citus Adaptive\), Task Count: 32/);
    assert.match(html, /DEBUG messages counted, not listed: “distributed statement: …” ×32 \(Citus prints one per shard it plans; 32 tasks here\)/);
    assert.ok(!html.includes('Keyed on'));
  });

  it('names methods with the badge words (the tab title uses them too)', () => {
    assert.equal(methodLabel('pull_to_coordinator'), 'pull to coordinator');
    assert.equal(methodLabel('router'), 'router (one shard)');
  });
});
