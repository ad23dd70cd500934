/**
 * The differential test of the semantic layer against a real PostgreSQL (`npm run semantic` and
 * test/db/semantic.test.ts): every valid statement of the recorded corpus, the test workspace and the
 * examples is mutated the way people break rollups (misspelled columns and tables, swapped SELECT
 * expressions, a GROUP BY item dropped, extra target columns or expressions, an aggregate moved into WHERE,
 * wrong argument types, a bad literal, a wrong qualifier, an ambiguous join), and each statement is run
 * through `EXPLAIN` in a rolled-back transaction on PostgreSQL (the schema without its Citus calls) and
 * through our analysis with the same schema as a complete model (as a snapshot gives).
 *
 * Agreement: PostgreSQL rejects and we report an error with the same message, or PostgreSQL accepts and we
 * report no PostgreSQL error. A false error (PostgreSQL accepts, we reject) is the worst outcome.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import { analyzeDocument } from '../src/core/analyze';
import { nameList, walk, type PgNode } from '../src/core/parse/ast';
import { parseDocument } from '../src/core/parse/document';
import { parseSql } from '../src/core/parse/libpg';
import { SchemaModel } from '../src/core/schema/model';
import { SEMANTIC_RULES } from '../src/core/semantic';
import { expressionEnd } from '../src/core/planner/text';
import { applyDocumentDdl } from '../src/core/workspace';
import { prng } from './groundtruth/rng';

const ROOT = path.join(__dirname, '..');

export interface SchemaSet {
  name: string;
  schema: string;
  statements: string[];
  /** run each statement as it is (valid or not: PostgreSQL decides), without mutations */
  asIs?: boolean;
}

/** The valid statements we mutate, with the schema each runs against. */
export function schemaSets(): SchemaSet[] {
  const corpusDir = path.join(ROOT, 'test', 'fixtures', 'citus-corpus');
  const jsonl = (file: string): string[] =>
    fs
      .readFileSync(path.join(corpusDir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { sql: string }).sql);
  const statementsOf = (file: string): string[] =>
    parseDocument(fs.readFileSync(path.join(ROOT, file), 'utf8'))
      .statements.filter((s) => s.parentIndex === undefined && s.ast && !s.error)
      .map((s) => s.text.trim().replace(/;\s*$/, ''));
  const curated = fs
    .readFileSync(path.join(ROOT, 'test', 'fixtures', 'semantic', 'curated.sql'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('--'))
    .map((l) => l.trim().replace(/;$/, ''));
  return [
    { name: 'corpus', schema: fs.readFileSync(path.join(corpusDir, 'schema.sql'), 'utf8'), statements: [...jsonl('statements.jsonl'), ...jsonl('dml.jsonl')] },
    { name: 'curated', schema: fs.readFileSync(path.join(corpusDir, 'schema.sql'), 'utf8'), statements: curated, asIs: true },
    { name: 'examples', schema: fs.readFileSync(path.join(ROOT, 'examples', 'schema.sql'), 'utf8'), statements: [...statementsOf('examples/rollups.sql'), ...statementsOf('examples/does-not-push-down.sql')] },
    { name: 'workspace', schema: fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'workspace', 'schema.sql'), 'utf8'), statements: statementsOf('test/fixtures/workspace/rollups.sql') },
  ];
}

export type MutationKind =
  | 'curated'
  | 'valid'
  | 'misspelled-column'
  | 'misspelled-table'
  | 'swapped-expressions'
  | 'dropped-group-by'
  | 'extra-target-column'
  | 'extra-expression'
  | 'aggregate-in-where'
  | 'wrong-argument-type'
  | 'bad-literal'
  | 'wrong-qualifier'
  | 'ambiguous-join';

export interface Mutant {
  set: string;
  kind: MutationKind;
  sql: string;
}

const IDENT = /^("(?:[^"]|"")*"|[A-Za-z_][\w$]*)(\s*\.\s*("(?:[^"]|"")*"|[A-Za-z_][\w$]*))*/;

function replaceAt(sql: string, start: number, end: number, text: string): string {
  return sql.slice(0, start) + text + sql.slice(end);
}

function typo(name: string, rand: () => number): string {
  if (name.startsWith('"')) return name;
  switch (Math.floor(rand() * 3)) {
    case 0:
      return name + name[name.length - 1]; // doubled last letter
    case 1:
      return name.length > 2 ? name.slice(0, -1) : name + 'x'; // dropped last letter
    default: {
      if (name.length < 3) return name + 'z';
      const i = 1 + Math.floor(rand() * (name.length - 2));
      return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2); // swapped letters
    }
  }
}

interface Nodes {
  columnRefs: PgNode[];
  rangeVars: PgNode[];
  selects: PgNode[];
  funcCalls: PgNode[];
  comparisons: PgNode[];
  inserts: PgNode[];
}

function collect(tree: PgNode): Nodes {
  const n: Nodes = { columnRefs: [], rangeVars: [], selects: [], funcCalls: [], comparisons: [], inserts: [] };
  walk(tree, (type, f) => {
    if (type === 'ColumnRef' && typeof f.location === 'number' && !(f.fields ?? []).some((x: PgNode) => x.A_Star)) n.columnRefs.push(f);
    else if (type === 'RangeVar' && typeof f.location === 'number') n.rangeVars.push(f);
    else if (type === 'SelectStmt' && f.targetList) n.selects.push(f);
    else if (type === 'FuncCall' && f.args?.length && typeof f.location === 'number') n.funcCalls.push(f);
    else if (type === 'A_Expr' && f.kind === 'AEXPR_OP' && nameList(f.name).join('') === '=' && f.lexpr?.ColumnRef && f.rexpr?.A_Const) n.comparisons.push(f);
    else if (type === 'InsertStmt') n.inserts.push(f);
  });
  return n;
}

/** Mutants of one valid statement (several per kind, chosen by the PRNG). */
export function mutate(sql: string, set: string, seed: number, model: SchemaModel): Mutant[] {
  const rand = prng(seed);
  const parsed = parseSql(sql);
  if (!parsed.ok || parsed.statements.length !== 1 || /[^\x00-\x7f]/.test(sql)) return [];
  const tree = parsed.statements[0].stmt;
  const n = collect(tree);
  const out: Mutant[] = [{ set, kind: 'valid', sql }];
  const add = (kind: MutationKind, text: string | undefined): void => {
    if (text && text !== sql) out.push({ set, kind, sql: text });
  };
  const pick = <T>(list: T[], k: number): T[] => {
    const copy = [...list];
    const res: T[] = [];
    while (copy.length && res.length < k) res.push(copy.splice(Math.floor(rand() * copy.length), 1)[0]);
    return res;
  };
  for (const ref of pick(n.columnRefs, 3)) {
    const m = IDENT.exec(sql.slice(ref.location));
    if (!m) continue;
    const parts = m[0].split('.');
    const last = parts[parts.length - 1].trim();
    const prefix = m[0].slice(0, m[0].length - parts[parts.length - 1].length) + parts[parts.length - 1].slice(0, parts[parts.length - 1].indexOf(last));
    add('misspelled-column', replaceAt(sql, ref.location, ref.location + m[0].length, prefix + typo(last, rand)));
    // a wrong qualifier
    if (parts.length === 1) add('wrong-qualifier', replaceAt(sql, ref.location, ref.location, 'zz.'));
    else add('wrong-qualifier', replaceAt(sql, ref.location, ref.location + m[0].length, `${typo(parts[0].trim(), rand)}.${last}`));
  }
  for (const rv of pick(n.rangeVars, 2)) {
    const m = IDENT.exec(sql.slice(rv.location));
    if (!m) continue;
    const parts = m[0].split('.');
    const last = parts[parts.length - 1].trim();
    add('misspelled-table', replaceAt(sql, rv.location + m[0].length - last.length, rv.location + m[0].length, typo(last, rand)));
    // an ambiguous join: the same table again, unaliased names now in two FROM items
    if (!rv.alias && rv.location > sql.search(/\bFROM\b/i) && sql.search(/\bFROM\b/i) >= 0) {
      const other = [...model.tables.values()].find((t) => t.name !== rv.relname && t.columns.some((c) => n.columnRefs.some((r) => nameList(r.fields).length === 1 && nameList(r.fields)[0] === c.name)));
      if (other) add('ambiguous-join', replaceAt(sql, rv.location + m[0].length, rv.location + m[0].length, ` CROSS JOIN ${other.schema === 'public' ? '' : other.schema + '.'}${other.name}`));
    }
  }
  for (const sel of pick(n.selects, 2)) {
    const targets: PgNode[] = sel.targetList ?? [];
    if (targets.length >= 2) {
      const [i, j] = pick([...targets.keys()], 2).sort((a, b) => a - b);
      const a = targets[i].ResTarget;
      const b = targets[j].ResTarget;
      if (a?.val && b?.val && !a.val.ColumnRef?.fields?.some((f: PgNode) => f.A_Star) && !b.val.ColumnRef?.fields?.some((f: PgNode) => f.A_Star)) {
        const aStart = a.location;
        const bStart = b.location;
        const aEnd = expressionEnd(sql, aStart);
        const bEnd = expressionEnd(sql, bStart);
        if (aEnd <= bStart) add('swapped-expressions', sql.slice(0, aStart) + sql.slice(bStart, bEnd) + sql.slice(aEnd, bStart) + sql.slice(aStart, aEnd) + sql.slice(bEnd));
      }
    }
    const group: PgNode[] = sel.groupClause ?? [];
    if (group.length >= 2) {
      const k = Math.floor(rand() * group.length);
      const start = firstLocation(group[k]);
      const end = expressionEnd(sql, start);
      if (k < group.length - 1) {
        const next = firstLocation(group[k + 1]);
        add('dropped-group-by', replaceAt(sql, start, next, ''));
      } else {
        const prevEnd = expressionEnd(sql, firstLocation(group[k - 1]));
        add('dropped-group-by', replaceAt(sql, prevEnd, end, ''));
      }
    }
    if (targets.length) {
      const last = targets[targets.length - 1].ResTarget;
      if (last) {
        const end = expressionEnd(sql, last.location);
        const alias = /^\s+AS\s+("(?:[^"]|"")*"|[A-Za-z_][\w$]*)/i.exec(sql.slice(end));
        const at = end + (alias ? alias[0].length : 0);
        add('extra-expression', replaceAt(sql, at, at, ', 1'));
      }
    }
    if (sel.fromClause?.length) {
      if (sel.whereClause) {
        const w = firstLocation(sel.whereClause);
        add('aggregate-in-where', replaceAt(sql, w, w, 'count(*) > 0 AND '));
      } else {
        // after the FROM clause: before GROUP BY / ORDER BY / LIMIT ... of this SELECT, or at its end
        const from = sel.fromClause[sel.fromClause.length - 1];
        const start = firstLocation(from);
        const rest = sql.slice(start);
        const m = /\b(GROUP\s+BY|ORDER\s+BY|LIMIT|HAVING|WINDOW|OFFSET|UNION|EXCEPT|INTERSECT|ON\s+CONFLICT|RETURNING)\b|\)|$/i.exec(rest);
        if (m && !/\(/.test(rest.slice(0, m.index))) add('aggregate-in-where', replaceAt(sql, start + m.index, start + m.index, ' WHERE max(1) > 0 '));
      }
    }
  }
  for (const fc of pick(n.funcCalls, 2)) {
    const arg = fc.args[0];
    const start = firstLocation(arg);
    if (arg.A_Const || arg.ColumnRef || arg.TypeCast) {
      const end = expressionEnd(sql, start);
      const replacement = ["'x'::text", '1', 'true', "'2024-01-01'::date"][Math.floor(rand() * 4)];
      add('wrong-argument-type', replaceAt(sql, start, end, replacement));
    }
  }
  for (const cmp of pick(n.comparisons, 1)) {
    const start = firstLocation(cmp.rexpr);
    add('bad-literal', replaceAt(sql, start, expressionEnd(sql, start), "'not a number'"));
  }
  for (const ins of n.inserts) {
    const cols: PgNode[] = ins.cols ?? [];
    if (!cols.length) continue;
    const last = cols[cols.length - 1].ResTarget;
    const m = IDENT.exec(sql.slice(last.location));
    if (!m) continue;
    const at = last.location + m[0].length;
    const target = model.resolve(ins.relation.schemaname, ins.relation.relname, ['public']);
    const unused = target?.columns.find((c) => !cols.some((x) => x.ResTarget?.name === c.name));
    add('extra-target-column', replaceAt(sql, at, at, `, ${unused && rand() < 0.5 ? unused.name : 'no_such_column'}`));
  }
  return out;
}

function firstLocation(node: unknown): number {
  let best: number | undefined;
  walk(node, (_t, f) => {
    if (typeof f.location === 'number' && f.location >= 0 && (best === undefined || f.location < best)) best = f.location;
  });
  return best ?? 0;
}

/** The schema's DDL without its Citus calls, statement by statement (the ones plain PostgreSQL rejects are skipped). */
export async function loadSchema(client: Client, schema: string): Promise<void> {
  for (const s of parseDocument(schema).statements) {
    if (s.parentIndex !== undefined || !s.ast) continue;
    if (s.ast.SelectStmt || s.ast.VariableSetStmt) continue; // create_distributed_table & co, SET citus.*
    await client.query('SAVEPOINT ddl');
    try {
      await client.query(s.text);
      await client.query('RELEASE SAVEPOINT ddl');
    } catch {
      await client.query('ROLLBACK TO SAVEPOINT ddl');
    }
  }
}

export interface Verdict {
  mutant: Mutant;
  /** PostgreSQL's primary message, or undefined when it accepts the statement */
  postgres?: string;
  /** our first PostgreSQL error (semantic rule or syntax error), or undefined */
  ours?: string;
  ourRule?: string;
  outcome: 'agree-accept' | 'agree-reject' | 'false-error' | 'miss' | 'wrong-message';
}

const SEMANTIC = new Set<string>([...SEMANTIC_RULES, 'syntax-error']);

/** Our verdict on a statement: the first PostgreSQL error the analysis reports. */
export function ourError(sql: string, model: SchemaModel): { message: string; rule: string } | undefined {
  const a = analyzeDocument(sql, model, { source: 'mutant.sql' });
  const f = a.findings.find((x) => SEMANTIC.has(x.rule) && x.severity === 'error');
  if (!f) return undefined;
  if (f.rule === 'syntax-error') return { message: 'syntax error', rule: f.rule };
  return { message: f.citus?.message ?? f.message, rule: f.rule };
}

/** PostgreSQL's verdict: EXPLAIN in a transaction that is always rolled back. */
export async function postgresError(client: Client, sql: string): Promise<string | undefined> {
  await client.query('BEGIN');
  try {
    await client.query(`EXPLAIN (COSTS OFF) ${sql}`);
    return undefined;
  } catch (e) {
    const msg = (e as Error).message;
    return /^syntax error/.test(msg) ? 'syntax error' : msg;
  } finally {
    await client.query('ROLLBACK');
  }
}

export function modelFor(schema: string): SchemaModel {
  const model = new SchemaModel();
  applyDocumentDdl(model, { source: 'schema.sql', text: schema });
  // the differential database holds exactly this schema: a complete model, as a snapshot gives
  model.complete = true;
  return model;
}

/** Generates the mutants of every set, runs both sides, and returns the verdicts. `connect` gives a client on a fresh database per set. */
export async function runDifferential(connect: (db: string) => Promise<Client>, admin: Client, options: { perStatementSeeds?: number } = {}): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const set of schemaSets()) {
    const db = `semantic_${set.name}`;
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db}`);
    const client = await connect(db);
    try {
      await client.query('BEGIN');
      await loadSchema(client, set.schema);
      await client.query('COMMIT');
      await client.query("SET statement_timeout = '5s'");
      const model = modelFor(set.schema);
      const seeds = options.perStatementSeeds ?? 3;
      const seen = new Set<string>();
      for (const [i, sql] of set.statements.entries()) {
        if (!isAnalysedStatement(sql)) continue;
        if (set.asIs) {
          verdicts.push(judge({ set: set.name, kind: 'curated', sql }, await postgresError(client, sql), ourError(sql, model)));
          continue;
        }
        // only statements PostgreSQL accepts are mutated (Citus-only functions are not on plain PostgreSQL)
        if ((await postgresError(client, sql)) !== undefined) continue;
        for (let k = 0; k < seeds; k++) {
          for (const mutant of mutate(sql, set.name, i * 7919 + k * 104729 + 1, model)) {
            if (seen.has(mutant.sql)) continue;
            seen.add(mutant.sql);
            const postgres = await postgresError(client, mutant.sql);
            const ours = ourError(mutant.sql, model);
            verdicts.push(judge(mutant, postgres, ours));
          }
        }
      }
    } finally {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    }
  }
  return verdicts;
}

function isAnalysedStatement(sql: string): boolean {
  return /^\s*(WITH|SELECT|INSERT|UPDATE|DELETE|MERGE)\b/i.test(sql);
}

function judge(mutant: Mutant, postgres: string | undefined, ours: { message: string; rule: string } | undefined): Verdict {
  const base = { mutant, postgres, ours: ours?.message, ourRule: ours?.rule };
  if (postgres === undefined) return { ...base, outcome: ours ? 'false-error' : 'agree-accept' };
  if (!ours) return { ...base, outcome: 'miss' };
  return { ...base, outcome: normalize(ours.message) === normalize(postgres) ? 'agree-reject' : 'wrong-message' };
}

function normalize(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

export interface DifferentialSummary {
  total: number;
  agreement: number;
  falseErrors: number;
  accepted: number;
  falseErrorRate: number;
}

export function summarize(verdicts: Verdict[]): DifferentialSummary {
  const agree = verdicts.filter((v) => v.outcome === 'agree-accept' || v.outcome === 'agree-reject').length;
  const accepted = verdicts.filter((v) => v.postgres === undefined).length;
  const falseErrors = verdicts.filter((v) => v.outcome === 'false-error').length;
  return { total: verdicts.length, agreement: verdicts.length ? agree / verdicts.length : 0, falseErrors, accepted, falseErrorRate: accepted ? falseErrors / accepted : 0 };
}

export function formatDifferential(verdicts: Verdict[], verbose: boolean): string {
  const lines: string[] = [];
  const s = summarize(verdicts);
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  lines.push(`Semantic layer vs PostgreSQL: ${verdicts.length} statements, agreement ${pct(s.agreement)}, false errors ${s.falseErrors} of ${s.accepted} accepted (${pct(s.falseErrorRate)})`, '');
  const kinds = [...new Set(verdicts.map((v) => v.mutant.kind))];
  lines.push('per mutation kind:            total  agree  pg-rejects  false-error  miss  wrong-message');
  for (const k of kinds) {
    const vs = verdicts.filter((v) => v.mutant.kind === k);
    const c = (o: Verdict['outcome']): number => vs.filter((v) => v.outcome === o).length;
    const agree = c('agree-accept') + c('agree-reject');
    lines.push(`  ${k.padEnd(26)} ${String(vs.length).padStart(6)} ${pct(agree / vs.length).padStart(6)} ${String(vs.filter((v) => v.postgres).length).padStart(11)} ${String(c('false-error')).padStart(12)} ${String(c('miss')).padStart(5)} ${String(c('wrong-message')).padStart(14)}`);
  }
  const bad = verdicts.filter((v) => v.outcome !== 'agree-accept' && v.outcome !== 'agree-reject');
  if (bad.length) {
    lines.push('', `disagreements (${bad.length}):`);
    for (const v of verbose ? bad : bad.slice(0, 20)) {
      lines.push(`  [${v.outcome}] ${v.mutant.kind} (${v.mutant.set}): ${v.mutant.sql.replace(/\s+/g, ' ').slice(0, 220)}`);
      lines.push(`      PostgreSQL: ${v.postgres ?? '(accepted)'}`);
      lines.push(`      ours:       ${v.ours ? `${v.ourRule}: ${v.ours}` : '(no error)'}`);
    }
    if (!verbose && bad.length > 20) lines.push(`  ... ${bad.length - 20} more (npm run semantic -- --verbose)`);
  }
  return lines.join('\n');
}
