/**
 * `citus-rollups explain --connection URL FILE [--line N] [--format text|json]`: EXPLAINs one statement on a
 * live coordinator (inside a transaction that is rolled back) and prints the real method next to the static
 * prediction. Exit status: 0 explained (also when Citus refused the statement: method `error`), 2 on a
 * connection or usage error.
 */
import { parseArgs } from 'node:util';
import { analyzeDocument } from '../core/analyze';
import { todayUtc } from '../core/schema/currentTime';
import { loadOlderGrammar, loadParser } from '../core/parse/libpg';
import { LineIndex } from '../core/parse/offsets';
import type { Method } from '../core/types';
import { connect, DbError, resolveConnection, type ConnectionProfile, type Session } from '../db/connection';
import { explainStatement, pickStatement, type ExplainResult, type PreparedStatement } from '../db/explain';
import { mergeModels, readClusterModel, type MergeMessage } from '../db/metadata';
import { errorOnlyWhenRun, predictionAgrees, type PlanTreeNode } from '../db/plan';
import { configFor, configSchemaFiles, loadBaseModel, readText, UsageError, type CliIO } from './project';

const HELP = `Usage: citus-rollups explain [--connection URL] [--line N] [--format text|json] [--analyze]
                             [--set NAME=VALUE]... [--schema FILE]... [--config FILE] [--timeout SECONDS] FILE

EXPLAINs one statement of FILE on a live Citus coordinator (or PostgreSQL server) and prints the method
Citus really chose, its DEBUG reasons and the plan, next to the static prediction. Nothing is changed: the
EXPLAIN runs in a transaction that is always rolled back.

  --connection URL  postgres://user@host:port/db?sslmode=...; without it the PG* environment variables
                    apply (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE, ...). The password comes from
                    the URL, PGPASSWORD or ~/.pgpass.
  --line N          the statement on line N (1-based); default: the first INSERT ... SELECT, or the only
                    statement of the file
  --set NAME=VALUE  a value for the psql variable :NAME (repeatable)
  --analyze         also run EXPLAIN ANALYZE (rolled back) when the plan is pushdown or router
  --schema FILE     DDL added to the cluster's tables for the prediction (repeatable)
  --config FILE     the project config (default: the nearest citus-rollups.json upward from FILE):
                    its schema files are added like --schema
  --timeout SECONDS statement timeout (default 30)

Exit status: 0 explained, 2 connection or usage error.`;

export interface ExplainJson {
  method: Method;
  /** for a statement other than INSERT..SELECT: how Citus runs it (docs/dml.md) */
  outcome?: string;
  taskCount: number | null;
  reasons: string[];
  predicted: { method: Method; outcome?: string; reasons: string[] } | null;
  plan: unknown;
  basis: string;
  nodes: string[];
  text: string | null;
  error: ExplainResult['error'] | null;
  notices: string[];
  suppressed: Record<string, number>;
  analyze?: ExplainResult['analyze'];
  statement: { line: number; sql: string };
  server: { version: string; citus: string | null };
  schemaMessages: string[];
}

export async function runExplain(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      connection: { type: 'string', short: 'c' },
      line: { type: 'string' },
      format: { type: 'string', default: 'text' },
      analyze: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true, default: [] },
      schema: { type: 'string', multiple: true, default: [] },
      config: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP + '\n');
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got '${format}')`);
  if (positionals.length !== 1) throw new UsageError('explain needs exactly one FILE');
  let line: number | undefined;
  if (values.line !== undefined) {
    line = Number(values.line);
    if (!Number.isInteger(line) || line < 1) throw new UsageError(`--line must be a positive line number (got '${values.line}')`);
  }
  let statementTimeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const t = Number(values.timeout);
    if (!Number.isFinite(t) || t <= 0) throw new UsageError(`--timeout must be a positive number of seconds (got '${values.timeout}')`);
    statementTimeoutMs = Math.round(t * 1000);
  }
  const variables: Record<string, string> = {};
  for (const s of values.set ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(s);
    if (!m) throw new UsageError(`--set needs NAME=VALUE (got '${s}')`);
    variables[m[1]] = m[2];
  }
  const file = positionals[0];
  const text = readText(file);
  await loadParser();

  let prepared: PreparedStatement;
  try {
    prepared = pickStatement(text, { line, variables });
  } catch (e) {
    if (e instanceof DbError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  const config = configFor([file], values.config);
  // the cluster's own settings and tables win: only the config's schema files and --schema are added
  const workspace = loadBaseModel({ schemaFiles: [...configSchemaFiles(config), ...(values.schema ?? [])] });

  let session: Session | undefined;
  try {
    const profile: ConnectionProfile = { uri: values.connection, statementTimeoutMs };
    const resolved = await resolveConnection(profile);
    session = await connect(resolved);
    const { model: clusterModel } = await readClusterModel(session);
    const { model, messages } = mergeModels(clusterModel, workspace);
    const result = await explainStatement(session, prepared, { analyze: values.analyze, statementTimeoutMs });
    await loadOlderGrammar(model.postgresMajor); // the cluster's PostgreSQL 15 or 16
    const analysis = analyzeDocument(text, model, { source: file, today: todayUtc(new Date()) });
    const predictedStatement = analysis.statements.find((s) => s.range.start === prepared.start && s.parentIndex === undefined);
    const out: ExplainJson = {
      method: result.method,
      ...(result.outcome ? { outcome: result.outcome } : {}),
      taskCount: result.classification.taskCount,
      reasons: result.reasons,
      predicted: predictedStatement
        ? { method: predictedStatement.prediction.method, ...(predictedStatement.outcome ? { outcome: predictedStatement.outcome } : {}), reasons: predictedStatement.prediction.reasons }
        : null,
      plan: result.plan,
      basis: result.classification.basis,
      nodes: result.classification.nodes,
      text: result.text,
      error: result.error ?? null,
      notices: result.notices,
      suppressed: result.suppressed,
      analyze: result.analyze,
      statement: { line: new LineIndex(text).position(prepared.start).line + 1, sql: prepared.sql },
      server: { version: result.serverVersion, citus: result.citusVersion },
      schemaMessages: messages.map((m: MergeMessage) => m.message),
    };
    io.stdout((format === 'json' ? JSON.stringify(out, null, 2) : formatExplainText(out, result)) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof DbError) {
      io.stderr(`citus-rollups: ${e.kind === 'usage' ? '' : `${e.kind}: `}${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await session?.close();
  }
}

function treeLines(n: PlanTreeNode, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const cost = n.cost ? `  (cost=${n.cost.startup.toFixed(2)}..${n.cost.total.toFixed(2)} rows=${n.cost.rows})` : '';
  out.push(`${pad}${depth ? '-> ' : ''}${n.label}${cost}`);
  for (const c of n.children) treeLines(c, depth + 1, out);
}

/** The human-readable report. */
export function formatExplainText(o: ExplainJson, r?: ExplainResult): string {
  const lines: string[] = [];
  lines.push(`statement (line ${o.statement.line}): ${o.statement.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
  lines.push(`server: PostgreSQL ${o.server.version}${o.server.citus ? `, Citus ${o.server.citus}` : ' (no Citus extension: plain PostgreSQL)'}`);
  lines.push(`method on the cluster: ${o.method}${o.outcome ? `, outcome ${o.outcome}` : ''}${o.taskCount !== null ? ` (task count ${o.taskCount})` : ''}`);
  lines.push(`  keyed on: ${o.basis}`);
  if (o.predicted) {
    const verdict = predictionAgrees(o, o.predicted)
      ? ' (agrees)'
      : errorOnlyWhenRun(o, o.predicted)
        ? ' (not checked: this error is raised when the statement runs, as it writes its row or a worker runs its task, and EXPLAIN does not run it; run the statement in a transaction you roll back to see it)'
        : '  <-- MISMATCH: please report it with this output';
    lines.push(`predicted: ${o.predicted.method}${o.predicted.outcome ? `, outcome ${o.predicted.outcome}` : ''}${verdict}`);
  }
  if (o.error) {
    lines.push(`ERROR:  ${o.error.message}`);
    if (o.error.detail) lines.push(`DETAIL:  ${o.error.detail}`);
    if (o.error.hint) lines.push(`HINT:  ${o.error.hint}`);
  }
  if (o.reasons.length) {
    lines.push('Citus says:');
    for (const reason of o.reasons) lines.push(...reason.split('\n').map((l) => `  ${l}`));
  }
  for (const m of o.schemaMessages) lines.push(`schema: ${m}`);
  if (o.nodes.length) lines.push(`nodes: ${o.nodes.join('; ')}`);
  if (o.text) {
    lines.push('', 'plan:');
    lines.push(...o.text.split('\n').map((l) => `  ${l}`));
  } else if (r?.classification.tree) {
    const t: string[] = [];
    treeLines(r.classification.tree, 0, t);
    lines.push('', 'plan:', ...t);
  }
  if (o.analyze) {
    if ('refused' in o.analyze) lines.push('', o.analyze.refused);
    else if ('error' in o.analyze) lines.push('', `EXPLAIN ANALYZE failed (rolled back): ${o.analyze.error.message}`);
    else {
      lines.push('', 'EXPLAIN ANALYZE (rolled back):');
      const t: string[] = [];
      if (o.analyze.classification.tree) treeLines(o.analyze.classification.tree, 1, t);
      lines.push(...t);
    }
  }
  return lines.join('\n');
}
