/**
 * Classifies a real EXPLAIN plan (JSON or text format) into the execution method Citus chose for an
 * INSERT..SELECT, and turns either format into one plan tree for display. PURE: no pg, no I/O.
 *
 * The rules follow the corpus labels (test/fixtures/citus-corpus/README.md, "Label definitions"):
 * - root `Custom Scan (Citus INSERT ... SELECT)`: its `INSERT/SELECT method` (repartition / pull to coordinator)
 * - root `Custom Scan (Citus Adaptive)`: pushdown when the top-level `Task Count` > 1, router when it is 0 or 1
 * - root `Insert on <plain table>` above a Citus custom scan: the rows are collected on the coordinator and
 *   inserted locally, labelled `pull_to_coordinator`
 * - no Citus custom scan at all, or a statement that is not an INSERT..SELECT: `not_applicable`
 */
import type { Method } from '../core/types';

/** One plan node, the same shape for JSON and text plans. */
export interface PlanTreeNode {
  /** as EXPLAIN's text format names it: `Seq Scan on events_102136 events`, `Custom Scan (Citus Adaptive)` */
  label: string;
  /** further lines (`Task Count: 32`, `Filter: ...`) in order */
  props: Array<[string, string]>;
  cost?: { startup: number; total: number; rows: number; width: number };
  actual?: { startup?: number; total?: number; rows: number; loops: number };
  children: PlanTreeNode[];
  /** a Citus task node (`Task`) carries the worker's plan as its child */
  isTask?: boolean;
}

export interface PlanClassification {
  method: Method;
  /** the plan text the method was keyed on, in words */
  basis: string;
  /** `Custom Plan Provider` of the root Citus node (`Citus Adaptive`, `Citus INSERT ... SELECT`), if any */
  citusNode?: string;
  /** `INSERT/SELECT method` of a `Citus INSERT ... SELECT` root */
  insertSelectMethod?: string;
  /**
   * `Task Count` of the top-level Citus Adaptive node (pushdown/router). For repartition, pull and local-target
   * plans: the task count of the distributed SELECT (the first Citus Adaptive node below). Null when there is none.
   */
  taskCount: number | null;
  /** `Tasks Shown` of that node */
  tasksShown?: string;
  /** distinct worker nodes of the shown tasks (`host=... port=... dbname=...`) */
  nodes: string[];
  /** the worker plan of the first shown task, if any */
  workerPlan?: PlanTreeNode;
  /** the whole plan as a tree */
  tree?: PlanTreeNode;
}

export interface ClassifyOptions {
  /**
   * Whether the explained statement is an INSERT..SELECT (from the parsed statement). Other statements are
   * `not_applicable` whatever their plan. Undefined: judged from the plan alone.
   */
  isInsertSelect?: boolean;
}

const CITUS_PROVIDER = /^Citus /;

// ---------------------------------------------------------------------------------------------------------
// JSON plans

type Json = Record<string, unknown>;

/** Accepts what `EXPLAIN (FORMAT JSON)` returns: the array, its first element, a bare Plan, or the text. */
export function planRootFromJson(explain: unknown): Json | undefined {
  let v: unknown = explain;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(v)) v = v[0];
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Json;
  if (o.Plan && typeof o.Plan === 'object') return o.Plan as Json;
  if (typeof o['Node Type'] === 'string') return o;
  return undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const JSON_SKIP = new Set([
  'Node Type',
  'Plans',
  'Parallel Aware',
  'Async Capable',
  'Startup Cost',
  'Total Cost',
  'Plan Rows',
  'Plan Width',
  'Actual Startup Time',
  'Actual Total Time',
  'Actual Rows',
  'Actual Loops',
  'Parent Relationship',
  'Distributed Query',
  'Select Query',
  'Relation Name',
  'Alias',
  'Custom Plan Provider',
  'Operation',
  'Strategy',
  'Partial Mode',
  'Join Type',
  'Index Name',
  'Scan Direction',
  'Function Name',
  'CTE Name',
  'Schema',
]);

/** Quotes an identifier the way EXPLAIN's text format does (quote_identifier, without the keyword list). */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Names a JSON plan node the way the text format does. */
export function jsonNodeLabel(n: Json): string {
  const type = String(n['Node Type'] ?? '?');
  const rel = n['Relation Name'] !== undefined ? String(n['Relation Name']) : undefined;
  const alias = n.Alias !== undefined ? String(n.Alias) : undefined;
  const on = (name: string | undefined): string =>
    name === undefined ? '' : ` on ${quoteIdent(name)}${alias !== undefined && alias !== name ? ` ${quoteIdent(alias)}` : ''}`;
  let label: string;
  switch (type) {
    case 'Custom Scan':
      label = `Custom Scan (${String(n['Custom Plan Provider'] ?? '?')})${on(rel)}`;
      break;
    case 'ModifyTable':
      label = `${String(n.Operation ?? 'Modify')}${on(rel)}`;
      break;
    case 'Aggregate': {
      const s = n.Strategy;
      label = s === 'Hashed' ? 'HashAggregate' : s === 'Sorted' ? 'GroupAggregate' : s === 'Mixed' ? 'MixedAggregate' : 'Aggregate';
      if (n['Partial Mode'] === 'Partial') label = `Partial ${label}`;
      else if (n['Partial Mode'] === 'Finalize') label = `Finalize ${label}`;
      break;
    }
    case 'Index Scan':
    case 'Index Only Scan':
      label = `${type}${n['Scan Direction'] === 'Backward' ? ' Backward' : ''} using ${String(n['Index Name'] ?? '?')}${on(rel)}`;
      break;
    case 'Function Scan':
      label = `Function Scan${on(n['Function Name'] !== undefined ? String(n['Function Name']) : undefined)}`;
      break;
    case 'CTE Scan':
      label = `CTE Scan${on(n['CTE Name'] !== undefined ? String(n['CTE Name']) : undefined)}`;
      break;
    case 'Hash Join':
    case 'Merge Join':
    case 'Nested Loop': {
      const jt = n['Join Type'];
      if (!jt || jt === 'Inner') label = type;
      else if (type === 'Nested Loop') label = `Nested Loop ${String(jt)} Join`;
      else label = `${type.replace(' Join', '')} ${String(jt)} Join`;
      break;
    }
    default:
      label = rel !== undefined ? `${type}${on(rel)}` : alias !== undefined ? `${type} on ${quoteIdent(alias)}` : type;
  }
  return label;
}

function propText(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  if (v && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Converts a JSON plan node (with Citus' distributed parts) into a display tree. */
export function treeFromJson(n: Json): PlanTreeNode {
  const node: PlanTreeNode = { label: jsonNodeLabel(n), props: [], children: [] };
  const startup = num(n['Startup Cost']);
  const total = num(n['Total Cost']);
  if (startup !== undefined && total !== undefined) {
    node.cost = { startup, total, rows: num(n['Plan Rows']) ?? 0, width: num(n['Plan Width']) ?? 0 };
  }
  const aRows = num(n['Actual Rows']);
  if (aRows !== undefined) {
    node.actual = { startup: num(n['Actual Startup Time']), total: num(n['Actual Total Time']), rows: aRows, loops: num(n['Actual Loops']) ?? 1 };
  }
  if (n['INSERT/SELECT method'] !== undefined) node.props.push(['INSERT/SELECT method', String(n['INSERT/SELECT method'])]);
  for (const [k, v] of Object.entries(n)) {
    if (JSON_SKIP.has(k) || k === 'INSERT/SELECT method') continue;
    node.props.push([k, propText(v)]);
  }
  const dq = n['Distributed Query'] as Json | undefined;
  if (dq && typeof dq === 'object') {
    for (const sp of (dq.Subplans as Json[] | undefined) ?? []) {
      const root = planRootFromJson(sp.PlannedStmt);
      const sub: PlanTreeNode = { label: 'Distributed Subplan', props: [], children: root ? [treeFromJson(root)] : [] };
      for (const [k, v] of Object.entries(sp)) if (k !== 'PlannedStmt') sub.props.push([k, propText(v)]);
      node.children.push(sub);
    }
    const job = dq.Job as Json | undefined;
    if (job && typeof job === 'object') {
      for (const [k, v] of Object.entries(job)) {
        if (k === 'Tasks' || k === 'Dependent Jobs') continue;
        node.props.push([k, propText(v)]);
      }
      for (const t of (job.Tasks as Json[] | undefined) ?? []) {
        const task: PlanTreeNode = { label: 'Task', props: [], children: [], isTask: true };
        for (const [k, v] of Object.entries(t)) if (k !== 'Remote Plan') task.props.push([k, propText(v)]);
        const remote = t['Remote Plan'];
        const root = planRootFromJson(Array.isArray(remote) && Array.isArray(remote[0]) ? remote[0] : remote);
        if (root) task.children.push(treeFromJson(root));
        node.children.push(task);
      }
      for (const d of (job['Dependent Jobs'] as Json[] | undefined) ?? []) {
        node.children.push({ label: 'MapMergeJob', props: Object.entries(d).map(([k, v]) => [k, propText(v)]), children: [] });
      }
    }
  }
  const sq = n['Select Query'];
  if (sq !== undefined) {
    const root = planRootFromJson(sq);
    if (root) node.children.push(treeFromJson(root));
  }
  for (const c of (n.Plans as Json[] | undefined) ?? []) node.children.push(treeFromJson(c));
  return node;
}

/** Classifies `EXPLAIN (FORMAT JSON)` output (parsed or as text). */
export function classifyJsonPlan(explain: unknown, options: ClassifyOptions = {}): PlanClassification {
  const root = planRootFromJson(explain);
  if (!root) return { method: 'not_applicable', basis: 'no plan in the EXPLAIN output', taskCount: null, nodes: [] };
  return classifyTree(treeFromJson(root), options);
}

// ---------------------------------------------------------------------------------------------------------
// Text plans

/**
 * Returns the plan lines of a text EXPLAIN: accepts the rows as the server sends them (one line per row)
 * and psql's aligned output (`QUERY PLAN` header, dashes, one leading space, `(N rows)` footer).
 */
export function planLines(text: string): string[] {
  let lines = text.replace(/\r\n?/g, '\n').split('\n');
  const header = lines.findIndex((l, i) => /^\s*QUERY PLAN\s*$/.test(l) && /^-+$/.test((lines[i + 1] ?? '').trim()));
  if (header >= 0) {
    lines = lines.slice(header + 2);
    const footer = lines.findIndex((l) => /^\(\d+ rows?\)$/.test(l.trim()));
    if (footer >= 0) lines = lines.slice(0, footer);
    lines = lines.map((l) => (l.startsWith(' ') ? l.slice(1) : l));
  }
  lines = lines.map((l) => l.replace(/\s+$/, ''));
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l).map((l) => l.length - l.trimStart().length));
  return Number.isFinite(indent) && indent > 0 ? lines.map((l) => l.slice(indent)) : lines;
}

const COST_RE = /\s+\(cost=([\d.]+)\.\.([\d.]+) rows=(\d+) width=(\d+)\)/;
const ACTUAL_RE = /\s+\(actual (?:time=([\d.]+)\.\.([\d.]+) )?rows=(\d+) loops=(\d+)\)/;
const NEVER_RE = /\s+\(never executed\)/;

function textNode(name: string): PlanTreeNode {
  const node: PlanTreeNode = { label: name, props: [], children: [] };
  const c = COST_RE.exec(name);
  if (c) node.cost = { startup: Number(c[1]), total: Number(c[2]), rows: Number(c[3]), width: Number(c[4]) };
  const a = ACTUAL_RE.exec(name);
  if (a) node.actual = { startup: a[1] ? Number(a[1]) : undefined, total: a[2] ? Number(a[2]) : undefined, rows: Number(a[3]), loops: Number(a[4]) };
  node.label = name.replace(COST_RE, '').replace(ACTUAL_RE, '').replace(NEVER_RE, '').trim();
  if (node.label === 'Task') node.isTask = true;
  return node;
}

/** Parses a text plan into a tree (children are the `->` lines; other lines are properties). */
export function treeFromText(text: string): PlanTreeNode | undefined {
  const lines = planLines(text).filter((l) => l.trim() !== '');
  if (!lines.length) return undefined;
  const root = textNode(lines[0].trim());
  const stack: Array<{ node: PlanTreeNode; col: number }> = [{ node: root, col: lines[0].length - lines[0].trimStart().length }];
  for (const line of lines.slice(1)) {
    const k = line.length - line.trimStart().length;
    const body = line.trimStart();
    while (stack.length > 1 && stack[stack.length - 1].col > k - 2) stack.pop();
    const parent = stack[stack.length - 1].node;
    if (body.startsWith('->')) {
      const name = body.replace(/^->\s+/, '');
      const child = textNode(name);
      parent.children.push(child);
      stack.push({ node: child, col: k + (body.length - name.length) });
    } else {
      const m = /^([^:]+?):\s+(.*)$/.exec(body) ?? /^([^:]+):()$/.exec(body);
      parent.props.push(m ? [m[1], m[2]] : [body, '']);
    }
  }
  return root;
}

/** Classifies text-format EXPLAIN output. */
export function classifyTextPlan(text: string, options: ClassifyOptions = {}): PlanClassification {
  const tree = treeFromText(text);
  if (!tree) return { method: 'not_applicable', basis: 'no plan in the EXPLAIN output', taskCount: null, nodes: [] };
  return classifyTree(tree, options);
}

// ---------------------------------------------------------------------------------------------------------
// The classification proper, on the common tree

const PROVIDER_RE = /^Custom Scan \((Citus [^)]*)\)/;

function providerOf(n: PlanTreeNode): string | undefined {
  return PROVIDER_RE.exec(n.label)?.[1];
}

function prop(n: PlanTreeNode, key: string): string | undefined {
  return n.props.find(([k]) => k === key)?.[1];
}

function findFirst(n: PlanTreeNode, pred: (x: PlanTreeNode) => boolean): PlanTreeNode | undefined {
  if (pred(n)) return n;
  for (const c of n.children) {
    const f = findFirst(c, pred);
    if (f) return f;
  }
  return undefined;
}

function taskInfo(adaptive: PlanTreeNode | undefined): Pick<PlanClassification, 'taskCount' | 'tasksShown' | 'nodes' | 'workerPlan'> {
  if (!adaptive) return { taskCount: null, nodes: [] };
  const tc = prop(adaptive, 'Task Count');
  const tasks = adaptive.children.filter((c) => c.isTask);
  const nodes = [...new Set(tasks.map((t) => prop(t, 'Node')).filter((x): x is string => !!x))];
  return {
    taskCount: tc !== undefined && /^\d+$/.test(tc.trim()) ? Number(tc) : null,
    tasksShown: prop(adaptive, 'Tasks Shown'),
    nodes,
    workerPlan: tasks[0]?.children[0],
  };
}

function isAdaptive(n: PlanTreeNode): boolean {
  return providerOf(n) === 'Citus Adaptive';
}

/** Classifies a plan tree (from either format). */
export function classifyTree(tree: PlanTreeNode, options: ClassifyOptions = {}): PlanClassification {
  const provider = providerOf(tree);
  const anyCitus = findFirst(tree, (n) => !!providerOf(n) && CITUS_PROVIDER.test(providerOf(n) ?? ''));
  const base = { tree, citusNode: provider };
  if (options.isInsertSelect === false) {
    return { ...base, method: 'not_applicable', basis: `not an INSERT ... SELECT statement (top plan node: ${tree.label})`, ...taskInfo(isAdaptive(tree) ? tree : findFirst(tree, isAdaptive)) };
  }
  if (provider === 'Citus INSERT ... SELECT') {
    const m = (prop(tree, 'INSERT/SELECT method') ?? '').trim();
    const info = taskInfo(findFirst(tree, isAdaptive));
    if (m === 'repartition') return { ...base, ...info, method: 'repartition', insertSelectMethod: m, basis: 'INSERT/SELECT method: repartition' };
    if (m === 'pull to coordinator') return { ...base, ...info, method: 'pull_to_coordinator', insertSelectMethod: m, basis: 'INSERT/SELECT method: pull to coordinator' };
    return { ...base, ...info, method: 'not_applicable', insertSelectMethod: m || undefined, basis: `Citus INSERT ... SELECT with an unknown INSERT/SELECT method '${m}'` };
  }
  if (provider === 'Citus Adaptive') {
    const info = taskInfo(tree);
    if (info.taskCount === null) {
      return { ...base, ...info, method: 'not_applicable', basis: 'Citus Adaptive without a Task Count (citus.explain_distributed_queries off?)' };
    }
    if (options.isInsertSelect === undefined && info.workerPlan && !/^Insert on /.test(info.workerPlan.label)) {
      return { ...base, ...info, method: 'not_applicable', basis: 'Citus Adaptive whose tasks do not insert (not an INSERT ... SELECT)' };
    }
    return info.taskCount > 1
      ? { ...base, ...info, method: 'pushdown', basis: `top node Custom Scan (Citus Adaptive), Task Count: ${info.taskCount}` }
      : { ...base, ...info, method: 'router', basis: `top node Custom Scan (Citus Adaptive), Task Count: ${info.taskCount}` };
  }
  if (provider === 'Citus Delayed Error') {
    return { ...base, taskCount: null, nodes: [], method: 'error', basis: 'Custom Scan (Citus Delayed Error)' };
  }
  if (/^Insert on /.test(tree.label) && anyCitus) {
    return {
      ...base,
      ...taskInfo(findFirst(tree, isAdaptive)),
      method: 'pull_to_coordinator',
      basis: `top node ${tree.label} (a table outside Citus metadata) above Custom Scan (${providerOf(anyCitus) ?? 'Citus'}): rows are collected on the coordinator`,
    };
  }
  if (!anyCitus) return { ...base, taskCount: null, nodes: [], method: 'not_applicable', basis: `no Citus custom scan in the plan (plain PostgreSQL: ${tree.label})` };
  return { ...base, ...taskInfo(findFirst(tree, isAdaptive)), method: 'not_applicable', basis: `top node ${tree.label} is not an INSERT ... SELECT plan Citus labels` };
}

/** How Citus ran a statement other than INSERT..SELECT, in the DML corpus' words (docs/dml.md). */
export type DmlOutcome = 'error' | 'local' | 'coordinator' | 'single_shard' | 'multi_shard';

/**
 * The outcome of an UPDATE, DELETE, MERGE, INSERT .. VALUES or SELECT read from its EXPLAIN text: no Citus node is
 * plain PostgreSQL (`local`); a MERGE that repartitions or pulls its source, a repartition job or a distributed subplan
 * passes rows through the coordinator; otherwise one task (or none: every shard pruned away) is `single_shard`, more
 * are `multi_shard`. `taskCount` is the top Citus scan's Task Count (EXPLAIN JSON); without it the text's is read.
 */
export function dmlOutcomeOfPlan(explainText: string, taskCount?: number | null): Exclude<DmlOutcome, 'error'> {
  if (!/Custom Scan \(Citus /.test(explainText)) return 'local';
  if (/MERGE INTO \S+ method: (repartition|pull to coordinator)/.test(explainText) || /MapMergeJob/.test(explainText) || /->\s+Distributed Subplan \d+_\d+/.test(explainText)) return 'coordinator';
  const tasks = taskCount ?? textTaskCount(explainText);
  return tasks !== undefined && tasks > 1 ? 'multi_shard' : 'single_shard';
}

/**
 * The top-level Task Count read from a text plan (the line indented by two spaces right under a top
 * `Custom Scan (Citus ...)` node); a fallback for plans without the JSON form.
 */
export function textTaskCount(explainText: string): number | undefined {
  if (!/^Custom Scan \(Citus /.test(explainText)) return undefined;
  const m = /^ {2}Task Count: (\d+)$/m.exec(explainText);
  return m ? Number(m[1]) : undefined;
}

/**
 * A predicted error that PostgreSQL or Citus raises only when the statement runs, which a plain EXPLAIN never does: a
 * NULL in a NOT NULL column, a row outside its partition's bound or with no partition, a columnar table's row-id scan;
 * and what the workers refuse of a planned statement (checked on Citus 13.2.2): a local table's statement sent to a
 * worker with a reference table (`relation "public.t" does not exist`), the subplan of a subquery of no columns, the
 * CYCLE clause of a recursive CTE. Against an EXPLAIN that planned the statement such a prediction is neither confirmed
 * nor contradicted.
 */
export function errorOnlyWhenRun(cluster: { method: string; outcome?: string }, predicted: { method: string; outcome?: string; reasons?: readonly string[] } | null | undefined): boolean {
  if (!predicted || (predicted.method !== 'error' && predicted.outcome !== 'error') || cluster.method === 'error' || cluster.outcome === 'error') return false;
  return /violates not-null constraint|violates partition constraint|no partition of relation .* found for row|CTID scans not supported|relation "[^".]+\.[^"]+" does not exist|a column definition list is required for functions returning "record"|column reference "[^"]+" is ambiguous/.test(predicted.reasons?.[0] ?? '');
}

/**
 * Whether a static prediction agrees with what the cluster did: the method of an INSERT..SELECT; for the other
 * statements (method not_applicable) the outcome, when both sides have one. Used by `citus-rollups explain` and the
 * extension's EXPLAIN view.
 */
export function predictionAgrees(cluster: { method: string; outcome?: string }, predicted: { method: string; outcome?: string } | null | undefined): boolean {
  if (!predicted) return true;
  if (predicted.method === 'not_applicable' && cluster.outcome && predicted.outcome) return cluster.outcome === predicted.outcome;
  return predicted.method === cluster.method;
}
