/**
 * The HTML of the EXPLAIN panel. PURE (no vscode import) so that it is tested on its own: every text that
 * comes from the cluster, the file or the plan (table names, messages, SQL) is escaped; the page allows only
 * its own stylesheet and its nonce'd script (strict CSP); colours come from VS Code's theme variables.
 */
import type { Method } from '../../core/types';
import { errorOnlyWhenRun, predictionAgrees, type PlanTreeNode } from '../../db/plan';

export interface ExplainView {
  file: string;
  line: number;
  sql: string;
  server: { label: string; version: string; citus: string | null };
  method: Method;
  basis: string;
  taskCount: number | null;
  tasksShown?: string;
  nodes: string[];
  reasons: string[];
  notices: string[];
  error?: { message: string; detail?: string; hint?: string; sqlState?: string } | null;
  tree?: PlanTreeNode;
  text: string | null;
  predicted: { method: Method; outcome?: string; reasons: string[]; summary?: string } | null;
  /** for a statement other than INSERT..SELECT: how Citus ran it (docs/dml.md), read from the plan */
  outcome?: string;
  /**
   * Relations of the statement that the workspace defines and the cluster does not have (not deployed yet): the
   * cluster cannot plan the statement, so a disagreement is no prediction bug.
   */
  notOnCluster: { table: string; definedAt?: string }[];
  schemaMessages: string[];
  /** EXPLAIN ANALYZE: offered (pushdown/router), refused with a reason, done, or failed */
  analyze: { state: 'available' } | { state: 'unavailable'; reason: string } | { state: 'done'; tree?: PlanTreeNode } | { state: 'error'; message: string } | { state: 'running' };
  suppressed: Record<string, number>;
}

export interface RenderOptions {
  nonce: string;
  /** webview.cspSource */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"'`]/g, (c) => ESC[c]);
}

/** For attribute values in double quotes whose single quotes must stay readable (the CSP). */
function escapeAttr(s: string): string {
  return s.replace(/[&"<>]/g, (c) => ESC[c]);
}

const METHOD_LABEL: Record<Method, string> = {
  pushdown: 'pushdown',
  router: 'router (one shard)',
  repartition: 'repartition',
  pull_to_coordinator: 'pull to coordinator',
  error: 'error',
  not_applicable: 'not a Citus INSERT … SELECT',
};

/** The words of a method's badge (the panel's tab title uses the same). */
export function methodLabel(method: Method): string {
  return METHOD_LABEL[method] ?? method;
}

function badge(method: Method, extra = ''): string {
  return `<span class="badge method-${escapeHtml(method)}${extra}" role="status">${escapeHtml(methodLabel(method))}</span>`;
}

/** The prediction and the cluster disagree for a reason of the prediction's (not because a table is not deployed). */
export function isMismatch(v: ExplainView): boolean {
  return !!v.predicted && !predictionAgrees(v, v.predicted) && !errorOnlyWhenRun(v, v.predicted) && v.notOnCluster.length === 0;
}

/** The outcome words shown next to the method badge of a statement other than INSERT..SELECT. */
function outcomeText(outcome: string | undefined): string {
  return outcome ? ` <span class="summary">— ${escapeHtml(outcome.replace(/_/g, ' '))}</span>` : '';
}

function notDeployedHtml(v: ExplainView): string {
  if (!v.notOnCluster.length) return '';
  const names = v.notOnCluster.map((t) => `<code>${escapeHtml(t.table)}</code>${t.definedAt ? ` (defined at ${escapeHtml(t.definedAt)})` : ''}`);
  const one = v.notOnCluster.length === 1;
  return `<div class="not-deployed" role="status">
    <p><strong>Not deployed:</strong> ${names.join(', ')} ${one ? 'is' : 'are'} in the workspace but not on the cluster. The cluster ${v.error ? 'cannot plan' : 'does not plan'} this statement as written until ${one ? 'it is' : 'they are'} created there; the prediction is made with the workspace's definition${one ? '' : 's'}, as the code lens shows it.</p>
  </div>`;
}

function messages(list: readonly string[], cls: string): string {
  if (!list.length) return '';
  return `<ul class="${cls}">${list.map((m) => `<li><pre>${escapeHtml(m)}</pre></li>`).join('')}</ul>`;
}

function costText(n: PlanTreeNode): string {
  const parts: string[] = [];
  if (n.cost) parts.push(`cost=${n.cost.startup.toFixed(2)}..${n.cost.total.toFixed(2)} rows=${n.cost.rows} width=${n.cost.width}`);
  if (n.actual) parts.push(`actual ${n.actual.total !== undefined ? `time=${n.actual.startup ?? 0}..${n.actual.total} ` : ''}rows=${n.actual.rows} loops=${n.actual.loops}`);
  return parts.length ? ` <span class="cost">(${escapeHtml(parts.join('; '))})</span>` : '';
}

function treeHtml(n: PlanTreeNode, depth: number, workerPlan: boolean): string {
  const props = n.props.length ? `<dl class="props">${n.props.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>` : '';
  const cls = ['node', n.isTask ? 'task' : '', workerPlan ? 'worker-plan' : ''].filter(Boolean).join(' ');
  const label = `${escapeHtml(n.label)}${costText(n)}${workerPlan ? ' <span class="tag">worker plan of the shown task</span>' : ''}`;
  const children = n.children.map((c) => treeHtml(c, depth + 1, !!n.isTask && n.children[0] === c)).join('');
  if (!n.children.length && !props) return `<div class="${cls} leaf" role="treeitem" aria-level="${depth + 1}"><span class="label">${label}</span></div>`;
  return `<details class="${cls}" open role="treeitem" aria-level="${depth + 1}"><summary><span class="label">${label}</span></summary>${props}<div role="group">${children}</div></details>`;
}

/** The bug report template offered when the prediction and the cluster disagree (Markdown). */
export function bugReportMarkdown(v: ExplainView): string {
  const fence = (s: string): string => {
    const longest = Math.max(2, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
    const f = '`'.repeat(longest + 1);
    return `${f}\n${s}\n${f}`;
  };
  return [
    `# Prediction mismatch: predicted ${v.predicted?.outcome ?? v.predicted?.method ?? 'nothing'}, cluster ${v.outcome ?? v.method}`,
    '',
    `- Server: PostgreSQL ${v.server.version}${v.server.citus ? `, Citus ${v.server.citus}` : ' (no Citus)'}`,
    `- Cluster says: ${v.method}${v.outcome ? `, outcome ${v.outcome}` : ''} (${v.basis})${v.taskCount !== null ? `, task count ${v.taskCount}` : ''}`,
    `- Predicted: ${v.predicted?.method ?? 'none'}${v.predicted?.outcome ? `, outcome ${v.predicted.outcome}` : ''}`,
    '',
    '## Statement',
    fence(v.sql),
    '',
    '## Citus DEBUG messages',
    fence(v.reasons.join('\n') || '(none)'),
    '',
    '## Predicted reasons',
    fence(v.predicted?.reasons.join('\n') || '(none)'),
    '',
    '## Plan',
    fence(v.text ?? v.error?.message ?? '(none)'),
    '',
    '## Table definitions (please add the CREATE TABLE and create_distributed_table calls involved)',
    '',
  ].join('\n');
}

/** The whole page. */
export function renderExplainHtml(v: ExplainView, o: RenderOptions): string {
  const mismatch = isMismatch(v);
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  const server = `${escapeHtml(v.server.label)} · PostgreSQL ${escapeHtml(v.server.version)} · ${v.server.citus ? `Citus ${escapeHtml(v.server.citus)}` : 'plain PostgreSQL (no Citus extension)'}`;
  const tasks = v.taskCount !== null ? `<p class="tasks">Task count: <strong>${escapeHtml(v.taskCount)}</strong>${v.tasksShown ? ` · shown: ${escapeHtml(v.tasksShown)}` : ''}</p>` : '';
  const nodes = v.nodes.length ? `<p class="nodes">Nodes: ${v.nodes.map((n) => `<code>${escapeHtml(n)}</code>`).join(', ')}</p>` : '';
  const suppressed = Object.entries(v.suppressed);
  const perTask = v.taskCount !== null ? ` (Citus prints one per shard it plans; ${escapeHtml(v.taskCount)} task${v.taskCount === 1 ? '' : 's'} here)` : ' (Citus prints one per shard it plans)';
  const noise = suppressed.length ? `<p class="muted">DEBUG messages counted, not listed: ${suppressed.map(([k, n]) => `“${escapeHtml(k)} …” ×${escapeHtml(n)}`).join(', ')}${perTask}</p>` : '';
  const err = v.error
    ? `<div class="error" role="alert"><pre>${escapeHtml(`ERROR:  ${v.error.message}${v.error.detail ? `\nDETAIL:  ${v.error.detail}` : ''}${v.error.hint ? `\nHINT:  ${v.error.hint}` : ''}`)}</pre></div>`
    : '';
  const prediction = v.predicted
    ? `<section class="prediction${mismatch ? ' mismatch' : ''}" aria-label="Static prediction">
        <h2>Predicted ${badge(v.predicted.method)}${v.predicted.summary ? ` <span class="summary">— ${escapeHtml(v.predicted.summary)}</span>` : outcomeText(v.predicted.outcome)}</h2>
        ${
          mismatch
            ? `<p class="mismatch-note" role="alert">The prediction and the cluster disagree. <button type="button" data-command="report">Report a bug…</button></p>`
            : v.notOnCluster.length
              ? `<p class="muted">Made with the workspace DDL of ${v.notOnCluster.map((t) => `<code>${escapeHtml(t.table)}</code>`).join(', ')}, which the cluster does not have yet.</p>`
              : predictionAgrees(v, v.predicted)
                ? '<p class="agree">The prediction agrees with the cluster.</p>'
                : errorOnlyWhenRun(v, v.predicted)
                  ? '<p class="muted">Not checked: this error is raised when the statement runs (it writes its row, or a worker runs its task), and EXPLAIN does not run it. Run the statement in a transaction you roll back to see it.</p>'
                  : ''
        }
        ${messages(v.predicted.reasons, 'reasons')}
      </section>`
    : '<section class="prediction" aria-label="Static prediction"><h2>Predicted</h2><p class="muted">No static prediction for this statement.</p></section>';
  let analyze = '';
  switch (v.analyze.state) {
    case 'available':
      analyze = `<button type="button" data-command="analyze">Run EXPLAIN ANALYZE (rolled back)…</button>`;
      break;
    case 'running':
      analyze = `<p class="muted" role="status">EXPLAIN ANALYZE is running…</p>`;
      break;
    case 'unavailable':
      analyze = `<p class="muted">${escapeHtml(v.analyze.reason)}</p>`;
      break;
    case 'error':
      analyze = `<div class="error" role="alert"><pre>${escapeHtml(v.analyze.message)}</pre></div>`;
      break;
    case 'done':
      analyze = `<h3>EXPLAIN ANALYZE (rolled back)</h3>${v.analyze.tree ? `<div role="tree" aria-label="EXPLAIN ANALYZE plan">${treeHtml(v.analyze.tree, 0, false)}</div>` : ''}`;
      break;
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>EXPLAIN: ${escapeHtml(v.file)}:${escapeHtml(v.line)}</title>
</head>
<body>
<main>
<header>
  <h1>On the cluster ${badge(v.method, mismatch ? ' mismatch' : '')}${outcomeText(v.outcome)}</h1>
  <p class="muted">${server}</p>
  <p class="muted">${escapeHtml(v.file)}, line ${escapeHtml(v.line)}</p>
  ${notDeployedHtml(v)}
</header>
<div class="columns">
<section class="cluster" aria-label="Cluster result">
  <p class="basis" title="The part of the EXPLAIN output the method above is read from">Method taken from: ${escapeHtml(v.basis)}</p>
  ${tasks}${nodes}${err}
  <h2>Citus' reasons</h2>
  ${v.reasons.length ? messages(v.reasons, 'reasons') : '<p class="muted">No DEBUG message (Citus gives none when it pushes the statement down).</p>'}
  ${noise}
  ${messages(v.notices, 'notices')}
  ${v.schemaMessages.length ? `<h2>Workspace vs cluster</h2>${messages(v.schemaMessages, 'schema-messages')}` : ''}
</section>
${prediction}
</div>
<section aria-label="Statement"><h2>Statement</h2><pre class="sql">${escapeHtml(v.sql)}</pre></section>
<section aria-label="Plan">
  <h2>Plan</h2>
  <p><button type="button" data-command="expand">Expand all</button> <button type="button" data-command="collapse">Collapse all</button> <button type="button" data-command="copy">Copy plan text</button></p>
  ${v.tree ? `<div class="tree" role="tree" aria-label="Plan tree">${treeHtml(v.tree, 0, false)}</div>` : '<p class="muted">No plan (EXPLAIN failed).</p>'}
  ${analyze}
  <details class="raw"><summary>Raw EXPLAIN text</summary><pre id="raw-text">${escapeHtml(v.text ?? '')}</pre></details>
</section>
</main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
