/**
 * The analysis entry point shared by the CLI, the language server and the tests:
 * text + schema -> statements with predicted methods + findings. Pure and total: it never throws on
 * bad input (a statement that does not parse becomes one `syntax-error` finding).
 */
import { parseDocument, type ParsedDocument, type ParsedStatement } from './parse/document';
import { applyStatement, mayChangeSchema, newSession, type SessionState } from './schema/ddl';
import { SchemaModel } from './schema/model';
import { predictInsertSelect, type PlannerResult } from './planner/predict';
import { predictDml, type DmlResult } from './planner/dml';
import { RULES } from './rules';
import type { RuleContext } from './rules/rule';
import { formatCitusMessage, type DocumentAnalysis, type Finding, type Severity, type StatementKind, type StatementResult } from './types';

export interface AnalyzeOptions {
  /** label of the document for "defined at" locations (a path or URI) */
  source?: string;
  /** per-rule severity overrides; 'off' disables a rule */
  severities?: Readonly<Record<string, Severity | 'off'>>;
}

export interface DocumentAnalysisDetail extends DocumentAnalysis {
  parsed: ParsedDocument;
  /** the model after the document's own DDL was applied */
  model: SchemaModel;
}

const DISABLE_DIRECTIVE = /--\s*citus-rollups-disable-next-statement\b([^\n]*)/g;

export function analyzeDocument(text: string, base: SchemaModel, options: AnalyzeOptions = {}): DocumentAnalysisDetail {
  const parsed = parseDocument(text);
  // copy-on-write: most documents (and every keystroke in a rollup file) change no DDL
  let model = base;
  let cloned = false;
  const session = newSession();
  const source = options.source ?? 'document';
  const statements: StatementResult[] = [];
  const findings: Finding[] = [];

  for (const stmt of parsed.statements) {
    if (!cloned && stmt.parentIndex === undefined && mayChangeSchema(stmt)) {
      model = base.clone();
      cloned = true;
    }
    const isDdl = stmt.parentIndex === undefined && applyStatement(stmt, { model, session, source });
    const result = analyzeStatement(stmt, isDdl, model, session, text);
    statements.push(result.statement);
    findings.push(...filterFindings(result.findings, stmt, text, options));
  }
  return { statements, findings, parsed, model };
}

interface StatementAnalysisResult {
  statement: StatementResult;
  findings: Finding[];
}

function analyzeStatement(stmt: ParsedStatement, isDdl: boolean, model: SchemaModel, session: SessionState, text: string): StatementAnalysisResult {
  const range = { start: stmt.start, end: stmt.end };
  if (stmt.error) {
    return {
      statement: { index: stmt.index, kind: 'other', range, parentIndex: stmt.parentIndex, prediction: { method: 'not_applicable', reasons: [] } },
      findings: [
        {
          rule: 'syntax-error',
          severity: 'error',
          message: stmt.error.message,
          range: errorRange(stmt, stmt.error.offset),
          statementIndex: stmt.index,
        },
      ],
    };
  }
  const kind: StatementKind = isInsertSelect(stmt) ? 'insert_select' : isDdl ? 'ddl' : 'other';
  let planner: PlannerResult | undefined;
  if (kind === 'insert_select') planner = predictInsertSelect(stmt, model, session);
  // every other statement Citus plans (and SET/RESET of citus.* settings): see planner/dml.ts
  let dml: DmlResult | undefined;
  if (kind === 'other' || (isDdl && stmt.ast?.VariableSetStmt)) dml = predictDml(stmt, model, session, text);
  const ctx: RuleContext = {
    stmt,
    model,
    session,
    plannerFindings: planner?.findings ?? dml?.findings ?? [],
    method: planner?.method,
  };
  const findings: Finding[] = [];
  // the planner rules only copy planner findings with their id: run those whose id the planner reported
  const plannerFindings = ctx.plannerFindings;
  let reported: Set<string> | undefined;
  if (plannerFindings.length) {
    reported = new Set();
    for (let k = 0; k < plannerFindings.length; k++) reported.add(plannerFindings[k].rule);
  }
  // indexed loops: this runs for every rule and statement, and iterator objects add up
  for (let r = 0; r < RULES.length; r++) {
    const rule = RULES[r];
    if (rule.fromPlanner && !reported?.has(rule.meta.id)) continue;
    const found = rule.check(ctx);
    for (let k = 0; k < found.length; k++) {
      const f = found[k];
      findings.push({
        rule: rule.meta.id,
        severity: f.severity ?? rule.meta.defaultSeverity,
        message: f.message,
        range: f.range,
        statementIndex: stmt.index,
        explanation: f.explanation,
        citus: f.citus,
        // a statement built by format(...) has no text of its own to edit
        fix: stmt.generated ? undefined : f.fix,
      });
    }
  }
  const decisive = planner?.findings[0];
  return {
    statement: {
      index: stmt.index,
      kind,
      range,
      parentIndex: stmt.parentIndex,
      target: planner?.targetName,
      prediction: planner
        ? {
            method: planner.method,
            reasons: planner.reasons.map(formatCitusMessage),
            summary: planner.summary,
            range: decisive?.range,
            rule: decisive?.rule,
          }
        : dmlPrediction(dml),
      ...(dml?.outcome ? { outcome: dml.outcome } : {}),
      ...(dml?.shardCount !== undefined ? { shardCount: dml.shardCount } : {}),
      ...(dml?.shardCountUpperBound ? { shardCountUpperBound: true } : {}),
      ...(dml?.target && !planner ? { target: dml.target } : {}),
    },
    findings,
  };
}

function dmlPrediction(dml: DmlResult | undefined): StatementResult['prediction'] {
  if (!dml) return { method: 'not_applicable', reasons: [] };
  const decisive = dml.findings[0];
  return { method: 'not_applicable', reasons: dml.reasons.map(formatCitusMessage), summary: dml.summary, range: decisive?.range, rule: decisive?.rule };
}

/** INSERT .. SELECT (including set operations and SELECT without FROM), not INSERT .. VALUES. */
export function isInsertSelect(stmt: ParsedStatement): boolean {
  const select = stmt.ast?.InsertStmt?.selectStmt?.SelectStmt;
  if (!select) return false;
  return !(select.valuesLists && (select.op === undefined || select.op === 'SETOP_NONE'));
}

/**
 * The token a syntax error points at; at the end of the input (nothing left to point at) the last
 * token before it, so editors always have something to underline.
 */
function errorRange(stmt: ParsedStatement, offset: number): { start: number; end: number } {
  const TOKEN = /("(?:[^"]|"")*"|'(?:[^']|'')*'|[\w$\u0080-\uffff]+|\S)/y;
  const local = Math.max(0, offset - stmt.start);
  const rest = stmt.text.slice(local).replace(/;\s*$/, '');
  if (rest.trim() !== '') {
    const lead = rest.length - rest.trimStart().length;
    TOKEN.lastIndex = local + lead;
    const m = TOKEN.exec(stmt.text);
    if (m) return { start: stmt.start + local + lead, end: stmt.start + local + lead + m[0].length };
  }
  // end of input: the last token of the statement
  const body = stmt.text.slice(0, local).replace(/[\s;]+$/, '');
  const last = /("(?:[^"]|"")*"|'(?:[^']|'')*'|[\w$\u0080-\uffff]+|\S)$/.exec(body);
  if (last) return { start: stmt.start + last.index, end: stmt.start + body.length };
  return { start: stmt.start, end: Math.max(stmt.start + 1, stmt.end) };
}

/** Applies `-- citus-rollups-disable-next-statement [ids]` and the severity settings. */
function filterFindings(findings: Finding[], stmt: ParsedStatement, text: string, options: AnalyzeOptions): Finding[] {
  if (findings.length === 0) return findings;
  const leading = text.slice(stmt.leadingStart, stmt.start);
  const disabled = new Set<string>();
  let all = false;
  for (const m of leading.matchAll(DISABLE_DIRECTIVE)) {
    const ids = m[1].split(/[\s,]+/).filter(Boolean);
    if (ids.length === 0) all = true;
    for (const id of ids) disabled.add(id);
  }
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.rule !== 'syntax-error' && (all || disabled.has(f.rule))) continue;
    const override = options.severities?.[f.rule];
    if (override === 'off') continue;
    out.push(override ? { ...f, severity: override } : f);
  }
  return out;
}
