/**
 * Completion on SQL that does not parse yet. The word at the cursor is replaced by a placeholder identifier and
 * the statement is completed into text the real PostgreSQL grammar accepts, trying, in order:
 *
 * 1. the whole statement (the cursor is in the middle of a statement that is otherwise whole);
 * 2. the statement cut at the next line that starts a new statement (the `;` is not typed yet);
 * 3. the query level's own FROM clause after a placeholder select list (the cursor is in a select list and
 *    something after it is unfinished);
 * 4. the text up to the cursor, closed: open parentheses closed, a CASE ended, a clause finished with the
 *    smallest filler that makes it a statement (`THEN 1 END`, `SELECT 1`, `DO NOTHING`, ...).
 *
 * The first text that parses is resolved by the semantic layer with an observer (../semantic/scope.ts): where the
 * placeholder lands (a column reference, a relation name, an INSERT column list, ...) says what to offer, and the
 * namespace the resolver sees there says which columns are in scope.
 */
import { nameList, walk, type PgNode } from '../parse/ast';
import { parseSqlUncached } from '../parse/libpg';
import type { SchemaModel, TableModel } from '../schema/model';
import { analyzeSemantics } from '../semantic';
import type { CteDef } from '../semantic/model';
import { relationNamed, visibleColumns, visibleCtes, visibleRelations, type ScopeItem, type ScopeState, type VisibleColumn } from '../semantic/scope';
import { openParentheses, significant, tokenize, type Token } from './lexer';

/** The identifier that stands for the word being typed. */
export const PLACEHOLDER = 'citus_rollups_cursor_';

export interface ProbeText {
  text: string;
  how: 'statement' | 'cut' | 'from' | 'prefix';
}

/** Where the placeholder landed in the parsed statement, and what the resolver saw there. */
export type Site =
  | {
      kind: 'column';
      /** `alias.` / `schema.table.` before the word */
      qualifier: string[];
      /** the item the qualifier names (undefined: it names nothing in scope) */
      qualified?: ScopeItem;
      columns: VisibleColumn[];
      /** items whose columns the model does not know are in scope */
      complete: boolean;
      relations: { item: ScopeItem; levelsUp: number }[];
      /** in the select list of an INSERT .. SELECT: the target column this output column goes to */
      insertTarget?: { table: TableModel; column: string };
      /** an ORDER BY item: output column names count too */
      outputNames?: string[];
    }
  | { kind: 'relation'; schema?: string; ctes: CteDef[]; target: boolean }
  | { kind: 'function'; schema?: string }
  | { kind: 'target-column'; table: TableModel | undefined; used: string[] }
  | { kind: 'other' };

/** The texts to try, in order (see the module comment). `prefix` and `tail` exclude the word being typed. */
export function probeTexts(prefix: string, tail: string): ProbeText[] {
  const out: ProbeText[] = [];
  const add = (text: string, how: ProbeText['how']): void => {
    if (!out.some((p) => p.text === text)) out.push({ text, how });
  };
  add(prefix + PLACEHOLDER + tail, 'statement');
  const cut = cutAtNextStatement(tail);
  if (cut !== undefined) add(prefix + PLACEHOLDER + cut, 'cut');
  const from = fromClauseProbe(prefix, tail);
  if (from) for (const filler of FILLERS) add(`${prefix}${PLACEHOLDER}${filler}${from.inner} FROM ${from.from}${from.outer}`, 'from');
  const closers = closingText(prefix);
  for (const filler of FILLERS) for (const end of ENDINGS) add(prefix + PLACEHOLDER + filler + closers + end, 'prefix');
  return out;
}

/** What may complete an expression or clause the cursor is in, before the parentheses are closed. */
const FILLERS = ['', ' THEN 1 END', ' END', ' WHEN true THEN 1 END', ' = 1', ' AND true', ' ON true', ' AS int', ' IS NULL'];
/** What may complete the statement after the parentheses are closed. */
const ENDINGS = ['', ' SELECT 1', ' DO NOTHING', ' VALUES (1)', ' AS (SELECT 1) SELECT 1', ' SELECT 1)'];

const STATEMENT_LINE = /\n[ \t]*(select|insert|update|delete|with|merge|create|alter|drop|truncate|set|reset|show|begin|commit|rollback|grant|revoke|copy|vacuum|analyze|explain|call|do|comment|refresh|\\)\b/i;

/** The tail up to the next line that starts a statement, when there is one. */
function cutAtNextStatement(tail: string): string | undefined {
  const m = STATEMENT_LINE.exec(tail);
  return m ? tail.slice(0, m.index) : undefined;
}

/** `)` for each parenthesis (or bracket) the prefix leaves open, innermost first. */
function closingText(prefix: string): string {
  const stack: string[] = [];
  for (const t of tokenize(prefix)) {
    if (t.kind !== 'punct') continue;
    if (t.value === '(') stack.push(')');
    else if (t.value === '[') stack.push(']');
    else if ((t.value === ')' || t.value === ']') && stack.length) stack.pop();
  }
  return stack.reverse().join('');
}

/** Clause words that end a FROM clause at its level. */
const FROM_END = new Set(['where', 'group', 'having', 'order', 'limit', 'offset', 'window', 'union', 'except', 'intersect', 'returning', 'for', 'fetch']);

/**
 * When the cursor is in a select list whose FROM clause comes after it: that FROM clause's text, and what closes
 * the parentheses opened in the select list before the cursor (`inner`) and before the query level (`outer`). The
 * probe keeps everything before the cursor (WITH, the INSERT, outer levels, the select list so far) and drops the
 * rest of the select list and what follows the FROM clause, where the text may be unfinished.
 */
function fromClauseProbe(prefix: string, tail: string): { from: string; inner: string; outer: string } | undefined {
  const text = prefix + PLACEHOLDER + tail;
  const cursor = prefix.length;
  const tokens = significant(tokenize(text));
  // the query level around the cursor: the innermost open parenthesis that starts a SELECT, else the statement
  const { open: stack, end: k } = openParentheses(tokens, cursor);
  let levelOpen = -1;
  for (let s = stack.length - 1; s >= 0; s--) {
    if (tokens[stack[s] + 1]?.value === 'select') {
      levelOpen = stack[s];
      break;
    }
  }
  // the select keyword of the level before the cursor, and its FROM after it, at the level's depth
  let depth = 0;
  let select = -1;
  for (let j = levelOpen + 1; j < k; j++) {
    const t = tokens[j];
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') depth--;
    else if (depth === 0 && t.kind === 'ident' && t.value === 'select') select = j;
    else if (depth === 0 && t.kind === 'ident' && t.value === 'from' && select >= 0 && !isDistinctFrom(tokens, j)) return undefined; // the cursor is after FROM
  }
  if (select < 0) return undefined;
  depth = 0;
  let from = -1;
  let end = tokens.length;
  for (let j = k; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') {
      if (depth === 0) {
        end = j;
        break;
      }
      depth--;
    } else if (t.kind === 'punct' && t.value === ';' && depth === 0) {
      end = j;
      break;
    } else if (depth === 0 && t.kind === 'ident') {
      if (from < 0 && t.value === 'from' && !isDistinctFrom(tokens, j)) from = j;
      else if (from >= 0 && FROM_END.has(t.value)) {
        end = j;
        break;
      }
    }
  }
  if (from < 0 || from + 1 >= end) return undefined;
  const fromText = text.slice(tokens[from + 1].start, tokens[end - 1].end);
  // everything before the cursor stays (WITH, the INSERT, the outer levels, the select list so far)
  const levelStart = levelOpen >= 0 ? tokens[levelOpen].end : 0;
  return { from: fromText, inner: closingText(prefix.slice(levelStart)), outer: closingText(prefix.slice(0, levelStart)) };
}

/** `IS [NOT] DISTINCT FROM`: not a FROM clause. */
function isDistinctFrom(tokens: readonly Token[], j: number): boolean {
  return tokens[j - 1]?.value === 'distinct' && (tokens[j - 2]?.value === 'is' || tokens[j - 2]?.value === 'not');
}

/** The first probe text that parses as one statement holding the placeholder. */
export function parseProbe(texts: readonly ProbeText[]): { ast: PgNode; probe: ProbeText } | undefined {
  for (const probe of texts) {
    const r = parseSqlUncached(probe.text);
    if (!r.ok || r.statements.length !== 1) continue;
    return { ast: r.statements[0].stmt, probe };
  }
  return undefined;
}

/** Statements that wrap a query the resolver analyses (EXPLAIN, CREATE VIEW, CREATE TABLE AS, ...). */
export function unwrapQuery(ast: PgNode): PgNode {
  const inner = ast.ExplainStmt?.query ?? ast.ViewStmt?.query ?? ast.CreateTableAsStmt?.query ?? ast.DeclareCursorStmt?.query ?? ast.CopyStmt?.query ?? ast.PrepareStmt?.query;
  return inner ? unwrapQuery(inner) : ast;
}

/** Resolves the probe statement and says where the placeholder is and what is visible there. */
export function siteOf(ast: PgNode, model: SchemaModel, searchPath: string[], variables: readonly string[]): Site {
  const stmt = unwrapQuery(ast);
  let site: Site | undefined;
  const observer = {
    columnRef(ref: PgNode, st: ScopeState): void {
      if (site || st.quiet) return;
      const names = nameList(ref.fields);
      if (names[names.length - 1] !== PLACEHOLDER || ref.fields?.length !== names.length) return;
      const qualifier = names.slice(0, -1);
      const { columns, complete } = visibleColumns(st);
      site = { kind: 'column', qualifier, qualified: qualifier.length ? relationNamed(st, qualifier) : undefined, columns, complete, relations: visibleRelations(st) };
    },
    relation(rv: PgNode, st: ScopeState): void {
      if (site || st.quiet || rv.relname !== PLACEHOLDER) return;
      site = { kind: 'relation', schema: rv.schemaname, ctes: visibleCtes(st), target: false };
    },
  };
  analyzeSemantics({ ast: stmt, parentIndex: undefined, variables: [], psqlVariables: [] }, model, { searchPath }, variables, observer);
  const found = site as Site | undefined;
  if (found?.kind === 'column') {
    found.insertTarget = insertTargetAt(stmt, model, searchPath);
    found.outputNames = sortOutputNames(stmt);
    return found;
  }
  if (found) return found.kind === 'relation' ? { ...found, target: isTargetRelation(stmt) } : found;
  return structuralSite(stmt, model, searchPath);
}

/** A placeholder the resolver did not meet: DDL, an INSERT column list, SET targets, ON CONFLICT columns. */
function structuralSite(stmt: PgNode, model: SchemaModel, searchPath: string[]): Site {
  const resolve = (rv: PgNode | undefined): TableModel | undefined => (rv?.relname ? model.resolve(rv.schemaname, rv.relname, searchPath) : undefined);
  const names = (list: PgNode[] | undefined): string[] => (list ?? []).map((c) => c.ResTarget?.name).filter((n): n is string => !!n && n !== PLACEHOLDER);
  const ins = stmt.InsertStmt;
  if (ins) {
    if (ins.cols?.some((c: PgNode) => c.ResTarget?.name === PLACEHOLDER)) return { kind: 'target-column', table: resolve(ins.relation), used: names(ins.cols) };
    const oc = ins.onConflictClause;
    if (oc?.targetList?.some((c: PgNode) => c.ResTarget?.name === PLACEHOLDER)) return { kind: 'target-column', table: resolve(ins.relation), used: names(oc.targetList) };
    const elems: PgNode[] = oc?.infer?.indexElems ?? [];
    if (elems.some((e) => e.IndexElem?.name === PLACEHOLDER)) return { kind: 'target-column', table: resolve(ins.relation), used: elems.map((e) => e.IndexElem?.name).filter((n) => n && n !== PLACEHOLDER) };
  }
  const upd = stmt.UpdateStmt;
  if (upd?.targetList?.some((c: PgNode) => c.ResTarget?.name === PLACEHOLDER)) return { kind: 'target-column', table: resolve(upd.relation), used: names(upd.targetList) };
  let site: Site = { kind: 'other' };
  walk(stmt, (type, f) => {
    if (site.kind !== 'other') return false;
    if (type === 'RangeVar' && f.relname === PLACEHOLDER) site = { kind: 'relation', schema: f.schemaname, ctes: [], target: false };
    else if (type === 'FuncCall') {
      const fn = nameList(f.funcname);
      if (fn[fn.length - 1] === PLACEHOLDER) site = { kind: 'function', schema: fn.length > 1 ? fn[0] : undefined };
    }
    return undefined;
  });
  return site;
}

/** INSERT INTO / UPDATE / DELETE FROM / MERGE INTO the placeholder: only relations that can be written. */
function isTargetRelation(stmt: PgNode): boolean {
  const dml = stmt.InsertStmt ?? stmt.UpdateStmt ?? stmt.DeleteStmt ?? stmt.MergeStmt;
  return dml?.relation?.relname === PLACEHOLDER;
}

/** The target column an INSERT .. SELECT's output column at the placeholder goes to (by position). */
function insertTargetAt(stmt: PgNode, model: SchemaModel, searchPath: string[]): { table: TableModel; column: string } | undefined {
  const ins = stmt.InsertStmt;
  const list: PgNode[] | undefined = ins?.selectStmt?.SelectStmt?.targetList;
  if (!list || !ins.relation?.relname) return undefined;
  const index = list.findIndex((t) => containsPlaceholder(t));
  if (index < 0) return undefined;
  const table = model.resolve(ins.relation.schemaname, ins.relation.relname, searchPath);
  if (!table) return undefined;
  const cols: string[] = ins.cols?.length ? ins.cols.map((c: PgNode) => c.ResTarget?.name as string) : table.columns.map((c) => c.name);
  const column = cols[index];
  return column ? { table, column } : undefined;
}

/** Output column names, when the placeholder is an ORDER BY item of the statement's SELECT. */
function sortOutputNames(stmt: PgNode): string[] | undefined {
  const select = stmt.SelectStmt ?? stmt.InsertStmt?.selectStmt?.SelectStmt;
  if (!select) return undefined;
  // ORDER BY only: a GROUP BY on an output name that is an aggregate is an error
  const items: PgNode[] = (select.sortClause ?? []).map((s: PgNode) => s.SortBy?.node);
  if (!items.some((n) => n?.ColumnRef && nameList(n.ColumnRef.fields).join('.') === PLACEHOLDER)) return undefined;
  return (select.targetList ?? []).map((t: PgNode) => t.ResTarget?.name).filter((n: string | undefined): n is string => !!n);
}

function containsPlaceholder(node: unknown): boolean {
  let found = false;
  walk(node, (type, f) => {
    if (found) return false;
    if (type === 'ColumnRef' && nameList(f.fields).includes(PLACEHOLDER)) found = true;
    return undefined;
  });
  return found;
}
