/**
 * What a rule is: declarative metadata beside a check. The rule id is forever: it is the diagnostic
 * code, the doc page name (docs/rules/<id>.md) and the test table name (test/core/rules/<id>.test.ts).
 */
import type { ParsedStatement } from '../parse/document';
import type { SchemaModel, TableModel } from '../schema/model';
import type { PgNode } from '../parse/ast';
import type { SessionState } from '../schema/ddl';
import type { CitusMessage, Fix, Method, Range, Severity } from '../types';
import type { RowError } from '../semantic';

export interface RuleMeta {
  id: string;
  /** one line for the rules table and SARIF */
  summary: string;
  defaultSeverity: Severity;
  /** whether findings of this rule can carry a safe fix */
  fixable: boolean;
  /** the Citus message this rule mirrors, when there is one */
  citusMessage?: string;
}

/** A blocker found by the planner: a construct that decides (or contributes to) the method. */
export interface PlannerFinding {
  rule: string;
  citus: CitusMessage;
  range: Range;
  /** a few words for code lenses */
  summary: string;
  message: string;
  explanation: string;
  fix?: Fix;
  /** a fixed severity (PostgreSQL's errors), instead of the one that follows the method */
  severity?: Severity;
}

export interface RuleContext {
  stmt: ParsedStatement;
  model: SchemaModel;
  session: SessionState;
  /** the planner's findings for an INSERT..SELECT (empty for other statements) */
  plannerFindings: readonly PlannerFinding[];
  /** the predicted method of an INSERT..SELECT */
  method?: Method;
  /** expressions of the statement that fail for every row they are computed for (the semantic layer's) */
  rowErrors?: readonly RowError[];
}

export interface RuleFinding {
  message: string;
  range: Range;
  explanation?: string;
  citus?: CitusMessage;
  fix?: Fix;
  /** when the severity depends on the outcome (pull = warning, repartition = information, ...) */
  severity?: Severity;
}

export interface Rule {
  meta: RuleMeta;
  /** set by {@link plannerRule}: the rule only reports planner findings with its id (the analyzer skips it otherwise) */
  fromPlanner?: boolean;
  check(ctx: RuleContext): readonly RuleFinding[];
}

/** Severity that follows the cost of the predicted method. */
export function severityForMethod(method: Method | undefined, fallback: Severity): Severity {
  switch (method) {
    case 'error':
      return 'error';
    case 'pull_to_coordinator':
      return 'warning';
    case 'repartition':
      return 'information';
    default:
      return fallback;
  }
}

/** A rule whose findings come from the planner (the construct that keeps a statement from pushdown). */
export function plannerRule(meta: RuleMeta): Rule {
  return {
    meta,
    fromPlanner: true,
    check(ctx) {
      // called for every statement and planner rule: allocate only when this rule has findings
      let out: RuleFinding[] | undefined;
      for (const f of ctx.plannerFindings) {
        if (f.rule !== meta.id) continue;
        (out ??= []).push({
          message: f.message,
          range: f.range,
          explanation: f.explanation,
          citus: f.citus,
          fix: f.fix,
          severity: f.severity ?? severityForMethod(ctx.method, meta.defaultSeverity),
        });
      }
      return out ?? NO_FINDINGS;
    },
  };
}

const NO_FINDINGS: readonly RuleFinding[] = Object.freeze([]);

export const RULE_DOCS_BASE = 'https://github.com/citus-rollups/citus-rollups/blob/main/docs/rules/';

export function ruleDocUrl(id: string): string {
  return `${RULE_DOCS_BASE}${id}.md`;
}

/**
 * The table a statement writes rows into (its RangeVar), when PostgreSQL surely checks the rows as the statement
 * writes them: a table whose columns the model knows, which no BEFORE / INSTEAD OF trigger or rule reaches (a trigger
 * may change a row before its NOT NULL and CHECK constraints are checked). For the rules of rows that fail.
 */
export function rowsCheckedTable(ctx: RuleContext, rv: PgNode | undefined): TableModel | undefined {
  if (!rv?.relname) return undefined;
  const target = ctx.model.resolve(rv.schemaname, rv.relname, ctx.session.searchPath);
  if (!target || target.kind === 'view' || target.kind === 'matview' || target.columnsIncomplete || ctx.model.rowHooksReach(target)) return undefined;
  return target;
}
