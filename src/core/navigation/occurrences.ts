/**
 * Every place a statement names a table, a column or a CTE, and what it names: the semantic layer resolves the
 * statement with an observer (../semantic/scope.ts), so a name means what PostgreSQL would take it to mean (CTEs
 * before tables, the search path, aliases, outer references, JOIN USING columns). DDL that the resolver does not
 * analyse (CREATE TABLE, ALTER TABLE, CREATE INDEX, TRUNCATE, ...) and Citus calls
 * (`create_distributed_table('events', 'tenant_id')`) are read from the parse tree.
 *
 * A symbol is a string key: tables and their columns by qualified name (so that the files of a workspace agree),
 * CTEs and the output columns of subqueries by the document offset of their definition.
 */
import { functionName, nameList, walk, type PgNode } from '../parse/ast';
import type { ParsedDocument, ParsedStatement } from '../parse/document';
import { applyStatement, newSession, type SessionState } from '../schema/ddl';
import { SchemaModel, type TableModel } from '../schema/model';
import { analyzeSemantics, statementVariables } from '../semantic';
import type { CteDef, QueryLevel, Target } from '../semantic/model';
import type { ResolveObserver, ScopeBinding, ScopeItem, ScopeState } from '../semantic/scope';
import { argumentRole, citusCatalog, regclassName } from '../complete/citus-catalog';
import { isName, tokenize } from '../complete/lexer';

export type OccurrenceRole = 'definition' | 'read' | 'write';

export interface Occurrence {
  /** character offsets of the name in the document */
  start: number;
  end: number;
  /** `table:schema.name`, `column:schema.name.column`, `cte:<offset>`, `output:<offset>` */
  symbol: string;
  kind: 'table' | 'column' | 'cte';
  role: OccurrenceRole;
  /** the name as the symbol spells it (for messages and a text pre-filter) */
  name: string;
  /** for CTEs and subquery output columns: where their definition is in this document */
  definition?: { start: number; end: number };
}

export function tableSymbol(t: { schema: string; name: string }): string {
  return `table:${t.schema}.${t.name}`;
}

export function columnSymbol(t: { schema: string; name: string }, column: string): string {
  return `column:${t.schema}.${t.name}.${column}`;
}

export interface NavigationDocument {
  text: string;
  parsed: ParsedDocument;
}

/**
 * The occurrences of a document's statements (those `wanted` accepts, by their text: a cheap filter when only
 * one name is looked for), each resolved with `model` and the search path in effect at it.
 */
export function documentOccurrences(doc: NavigationDocument, model: SchemaModel, wanted: (statementText: string) => boolean = () => true): Occurrence[] {
  const out: Occurrence[] = [];
  const session = newSession();
  let scratch: SchemaModel | undefined;
  for (const stmt of doc.parsed.statements) {
    const set = stmt.parentIndex === undefined ? stmt.ast?.VariableSetStmt : undefined;
    if (set && String(set.name ?? '').toLowerCase() === 'search_path') applyStatement(stmt, { model: (scratch ??= new SchemaModel()), session, source: '' });
    if (!stmt.ast || !wanted(stmt.text)) continue;
    out.push(...statementOccurrences(doc.text, stmt, model, session));
  }
  return out;
}

/** The occurrences of one parsed statement. */
export function statementOccurrences(text: string, stmt: ParsedStatement, model: SchemaModel, session: SessionState): Occurrence[] {
  const ast = stmt.ast;
  if (!ast) return [];
  const found = new Collector(text, stmt, model, session);
  // statements that hold a query: the query is resolved as PostgreSQL resolves it
  const query = ast.ViewStmt?.query ?? ast.CreateTableAsStmt?.query ?? ast.ExplainStmt?.query ?? ast.DeclareCursorStmt?.query ?? ast.CopyStmt?.query ?? ast.PrepareStmt?.query;
  const resolved = ast.SelectStmt || ast.InsertStmt || ast.UpdateStmt || ast.DeleteStmt || ast.MergeStmt ? ast : query?.SelectStmt || query?.InsertStmt || query?.UpdateStmt || query?.DeleteStmt ? query : undefined;
  if (resolved) {
    found.writeTarget = (resolved.InsertStmt ?? resolved.UpdateStmt ?? resolved.DeleteStmt ?? resolved.MergeStmt)?.relation;
    analyzeSemantics({ ast: resolved, parentIndex: stmt.parentIndex, variables: stmt.variables, psqlVariables: stmt.psqlVariables }, model, session, statementVariables(stmt), found);
    found.targetColumns(resolved);
    found.cteDefinitions(resolved);
  }
  found.ddl(ast);
  found.citusCalls(ast);
  return found.result();
}

class Collector implements ResolveObserver {
  private readonly out: Occurrence[] = [];
  private readonly seen = new Set<string>();
  /** the DML statement's target relation (its occurrence writes) */
  writeTarget: PgNode | undefined;

  constructor(
    private readonly text: string,
    private readonly stmt: ParsedStatement,
    private readonly model: SchemaModel,
    private readonly session: SessionState,
  ) {}

  result(): Occurrence[] {
    return this.out.sort((a, b) => a.start - b.start);
  }

  private add(o: Occurrence): void {
    const key = `${o.start}\u0000${o.symbol}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.out.push(o);
  }

  /** The range of the last name of the dotted name at a parser location (`s.t`, `e.tenant_id`, `"Quoted"`). */
  private lastName(location: number | undefined): { start: number; end: number } | undefined {
    if (location === undefined) return undefined;
    return lastNameAt(this.text, this.stmt.toDocumentOffset(location));
  }

  // ---- the resolver's names -------------------------------------------------------------------------

  columnRef(ref: PgNode, st: ScopeState, binding: ScopeBinding | undefined): void {
    if (st.quiet || !binding?.ns || ref.location === undefined) return;
    const names = dottedNameAt(this.text, this.stmt.toDocumentOffset(ref.location));
    const range = names[names.length - 1];
    if (!range) return;
    const symbol = this.columnOf(binding);
    if (symbol) this.add({ ...range, ...symbol, kind: 'column', role: 'read' });
    // `page_views.tenant_id`: a qualifier that is the table's own name (not an alias) names the table too
    const ns = binding.ns;
    const qualifier = names[names.length - 2];
    if (qualifier && !ns.aliased && ns.table && !ns.table.catalog && ns.refname === ns.table.name) {
      this.add({ ...qualifier, symbol: tableSymbol(ns.table), kind: 'table', role: 'read', name: ns.table.name });
    }
  }

  relation(rv: PgNode, st: ScopeState, found: { table?: TableModel; cte?: CteDef }): void {
    if (st.quiet) return;
    const range = this.lastName(rv.location);
    if (!range) return;
    if (found.cte) {
      const def = this.cteRange(found.cte);
      if (def) this.add({ ...range, symbol: `cte:${def.start}`, kind: 'cte', role: 'read', name: found.cte.name, definition: def });
    } else if (found.table && !found.table.catalog) {
      this.add({ ...range, symbol: tableSymbol(found.table), kind: 'table', role: rv === this.writeTarget ? 'write' : 'read', name: found.table.name });
    }
  }

  /** What a resolved column reference names: a table's (or view's) column, a CTE's, a subquery's output column. */
  private columnOf(b: ScopeBinding): { symbol: string; name: string; definition?: { start: number; end: number } } | undefined {
    const ns: ScopeItem = b.base ?? b.ns!;
    const column = b.baseColumn ?? b.column;
    const item = ns.item;
    if (item?.kind === 'rel') {
      // the table's own column name (a FROM alias may rename it: `FROM t AS x(a, b)`)
      const real = b.origin.kind === 'column' && b.origin.rel === item.rel ? b.origin.column : column;
      if (!item.rel.table.columns.some((c) => c.name === real)) return undefined; // a system column
      return { symbol: columnSymbol(item.rel.table, real), name: real };
    }
    if (ns.table && (!item || ns.table.kind === 'view' || ns.table.kind === 'matview')) {
      // a DML target, EXCLUDED, or a view
      if (!ns.table.columns.some((c) => c.name === column) || ns.table.catalog) return undefined;
      return { symbol: columnSymbol(ns.table, column), name: column };
    }
    const index = ns.columns?.findIndex((c) => c.name === column) ?? -1;
    if (index < 0) return undefined;
    if (item?.kind === 'cte') {
      const def = this.cteColumnRange(item.cte, index);
      return def ? { symbol: `output:${def.start}`, name: column, definition: def } : undefined;
    }
    if (item?.kind === 'subquery') {
      const def = this.targetRange(item.level.targets[index], item.level);
      return def ? { symbol: `output:${def.start}`, name: column, definition: def } : undefined;
    }
    return undefined;
  }

  /** A CTE's name where it is defined. */
  private cteRange(cte: CteDef): { start: number; end: number } | undefined {
    return firstNameAt(this.text, this.stmt.toDocumentOffset(cte.location));
  }

  /** Where a CTE's k-th column is named: in `WITH c(a, b)`, else its query's output column. */
  private cteColumnRange(cte: CteDef, index: number): { start: number; end: number } | undefined {
    if (cte.columnNames?.length) {
      const name = this.cteRange(cte);
      if (!name) return undefined;
      // the names in parentheses after the CTE's name
      const tokens = tokenize(this.text, name.end, Math.min(this.text.length, name.end + 2000)).filter((t) => t.kind !== 'comment');
      if (tokens[0]?.value !== '(') return undefined;
      const names = [];
      for (let k = 1; k < tokens.length && tokens[k].value !== ')'; k++) if (isName(tokens[k])) names.push(tokens[k]);
      const t = names[index];
      return t ? { start: t.start, end: t.end } : undefined;
    }
    const target = cte.level?.targets[index] ?? cte.returning?.[index];
    return target && cte.level ? this.targetRange(target, cte.level) : undefined;
  }

  /** An output column's name: its alias (`expr AS name`), else the expression's last name. */
  private targetRange(target: Target | undefined, level: QueryLevel): { start: number; end: number } | undefined {
    if (!target || !target.expr) return undefined;
    const at = this.stmt.toDocumentOffset(target.location);
    const list: PgNode[] = level.select.targetList ?? [];
    const rt = list.find((t) => t.ResTarget?.location === target.location)?.ResTarget;
    if (rt?.name) {
      // the alias after the expression: the last name of the target's text
      const end = targetEnd(this.text, at);
      const tokens = tokenize(this.text, at, end).filter((t) => t.kind !== 'comment');
      const last = tokens[tokens.length - 1];
      return isName(last) && last.value === rt.name ? { start: last.start, end: last.end } : undefined;
    }
    return lastNameAt(this.text, at);
  }

  // ---- names outside expressions ---------------------------------------------------------------------

  /** INSERT column lists, UPDATE / ON CONFLICT / MERGE SET targets: columns of the target table. */
  targetColumns(ast: PgNode): void {
    const dml = ast.InsertStmt ?? ast.UpdateStmt ?? ast.MergeStmt;
    const rv = dml?.relation;
    const table = rv?.relname ? this.model.resolve(rv.schemaname, rv.relname, this.session.searchPath) : undefined;
    if (!table || table.catalog) return;
    const lists: PgNode[][] = [];
    if (ast.InsertStmt) lists.push(ast.InsertStmt.cols ?? [], ast.InsertStmt.onConflictClause?.targetList ?? []);
    if (ast.UpdateStmt) lists.push(ast.UpdateStmt.targetList ?? []);
    for (const w of ast.MergeStmt?.mergeWhenClauses ?? []) lists.push(w.MergeWhenClause?.targetList ?? []);
    for (const list of lists) {
      for (const t of list) {
        const rt = t.ResTarget;
        if (!rt?.name || !table.columns.some((c) => c.name === rt.name)) continue;
        const range = firstNameAt(this.text, this.stmt.toDocumentOffset(rt.location));
        if (range) this.add({ ...range, symbol: columnSymbol(table, rt.name), kind: 'column', role: 'write', name: rt.name });
      }
    }
  }

  /** `WITH name AS (...)`: the CTE's definition. */
  cteDefinitions(ast: PgNode): void {
    walk(ast, (type, f) => {
      if (type !== 'CommonTableExpr' || f.location === undefined) return undefined;
      const def = firstNameAt(this.text, this.stmt.toDocumentOffset(f.location));
      if (def) this.add({ ...def, symbol: `cte:${def.start}`, kind: 'cte', role: 'definition', name: f.ctename, definition: def });
      return undefined;
    });
  }

  /** DDL: CREATE TABLE / VIEW / TABLE AS define; ALTER TABLE ADD COLUMN defines a column; other relation names refer. */
  ddl(ast: PgNode): void {
    const resolve = (rv: PgNode): TableModel | undefined => (rv?.relname ? this.model.resolve(rv.schemaname, rv.relname, this.session.searchPath) : undefined);
    const define = (rv: PgNode | undefined): TableModel | undefined => {
      if (!rv?.relname) return undefined;
      // the relation it creates: schema-qualified, else the first schema of the search path
      const t = this.model.get(rv.schemaname ?? this.session.searchPath[0] ?? 'public', rv.relname) ?? resolve(rv);
      const range = this.lastName(rv.location);
      if (t && range) this.add({ ...range, symbol: tableSymbol(t), kind: 'table', role: 'definition', name: t.name });
      return t;
    };
    const columnDefs = (table: TableModel | undefined, defs: PgNode[]): void => {
      for (const d of defs) {
        const cd = d.ColumnDef;
        if (!table || !cd?.colname || cd.location === undefined) continue;
        const range = firstNameAt(this.text, this.stmt.toDocumentOffset(cd.location));
        if (range) this.add({ ...range, symbol: columnSymbol(table, cd.colname), kind: 'column', role: 'definition', name: cd.colname });
      }
    };
    if (ast.CreateStmt) {
      const t = define(ast.CreateStmt.relation);
      columnDefs(t, ast.CreateStmt.tableElts ?? []);
      // PARTITION OF / INHERITS: the parent
      for (const p of ast.CreateStmt.inhRelations ?? []) this.reference(p.RangeVar, resolve);
      return;
    }
    if (ast.ViewStmt) {
      define(ast.ViewStmt.view);
      return;
    }
    if (ast.CreateTableAsStmt) {
      define(ast.CreateTableAsStmt.into?.rel);
      return;
    }
    if (ast.AlterTableStmt) {
      const rv = ast.AlterTableStmt.relation;
      const t = this.reference(rv, resolve);
      columnDefs(t, (ast.AlterTableStmt.cmds ?? []).filter((c: PgNode) => c.AlterTableCmd?.subtype === 'AT_AddColumn').map((c: PgNode) => c.AlterTableCmd.def));
      return;
    }
    if (ast.SelectStmt || ast.InsertStmt || ast.UpdateStmt || ast.DeleteStmt || ast.MergeStmt || ast.ExplainStmt || ast.DeclareCursorStmt || ast.PrepareStmt) return;
    if (ast.CreateFunctionStmt || ast.DoStmt) return; // their bodies are statements of their own
    // any other statement: its relation names (CREATE INDEX ON, TRUNCATE, COPY, LOCK, GRANT, ALTER ... RENAME)
    walk(ast, (type, f) => {
      if (type === 'RangeVar') this.reference(f, resolve);
      // a field typed RangeVar is not wrapped (`IndexStmt.relation`): only list items are
      for (const k in f) {
        const v = f[k];
        if (v && typeof v === 'object' && !Array.isArray(v) && typeof v.relname === 'string') this.reference(v, resolve);
      }
      return undefined;
    });
  }

  private reference(rv: PgNode | undefined, resolve: (rv: PgNode) => TableModel | undefined): TableModel | undefined {
    if (!rv) return undefined;
    const t = resolve(rv);
    const range = this.lastName(rv.location);
    if (t && !t.catalog && range) this.add({ ...range, symbol: tableSymbol(t), kind: 'table', role: 'read', name: t.name });
    return t;
  }

  /** `create_distributed_table('events', 'tenant_id', colocate_with => 'pages')`: the relation and column arguments. */
  citusCalls(ast: PgNode): void {
    const functions = citusCatalog().functions;
    walk(ast, (type, f) => {
      if (type !== 'FuncCall') return undefined;
      const names = nameList(f.funcname);
      if (names.length > 2 || (names.length === 2 && names[0] !== 'pg_catalog')) return undefined;
      const fn = functions.get(functionName(f))?.[0];
      if (!fn) return undefined;
      const args: PgNode[] = f.args ?? [];
      const indexOf = (a: PgNode, i: number): number => (a.NamedArgExpr ? fn.args.findIndex((x) => x.name === a.NamedArgExpr.name) : i);
      const valueOf = (a: PgNode): PgNode | undefined => (a.NamedArgExpr ? a.NamedArgExpr.arg : a)?.A_Const;
      const relationArgs = new Map<number, TableModel>();
      args.forEach((a, i) => {
        const k = indexOf(a, i);
        const c = valueOf(a);
        const role = argumentRole(fn, k);
        if (role.kind !== 'relation' || !c?.sval || c.location === undefined) return;
        const parts = regclassName(c.sval.sval ?? '');
        if (!parts) return;
        const t = this.model.resolve(parts.length === 2 ? parts[0] : undefined, parts[parts.length - 1], this.session.searchPath);
        if (!t || t.catalog) return;
        relationArgs.set(k, t);
        const range = stringNameRange(this.text, this.stmt.toDocumentOffset(c.location), t.name);
        if (range) this.add({ ...range, symbol: tableSymbol(t), kind: 'table', role: 'read', name: t.name });
      });
      args.forEach((a, i) => {
        const k = indexOf(a, i);
        const c = valueOf(a);
        const role = argumentRole(fn, k);
        if (role.kind !== 'column' || !c?.sval || c.location === undefined) return;
        const t = relationArgs.get(role.relationArg);
        const column = c.sval.sval ?? '';
        if (!t || !t.columns.some((x) => x.name === column)) return;
        const range = stringNameRange(this.text, this.stmt.toDocumentOffset(c.location), column);
        if (range) this.add({ ...range, symbol: columnSymbol(t, column), kind: 'column', role: 'read', name: column });
      });
      return undefined;
    });
  }
}

/** The first name at `offset` (an identifier or a quoted identifier). */
export function firstNameAt(text: string, offset: number): { start: number; end: number } | undefined {
  const t = tokenize(text, offset, Math.min(text.length, offset + 256))[0];
  return isName(t) && t.start === offset ? { start: t.start, end: t.end } : undefined;
}

/** The last name of the dotted name that starts at `offset` (`s.t` -> `t`). */
export function lastNameAt(text: string, offset: number): { start: number; end: number } | undefined {
  const names = dottedNameAt(text, offset);
  return names[names.length - 1];
}

/** The names of the dotted name that starts at `offset` (`s.t.c` -> s, t, c). */
function dottedNameAt(text: string, offset: number): { start: number; end: number }[] {
  const tokens = tokenize(text, offset, Math.min(text.length, offset + 512));
  if (!isName(tokens[0]) || tokens[0].start !== offset) return [];
  const out = [{ start: tokens[0].start, end: tokens[0].end }];
  for (let k = 1; k + 1 < tokens.length && tokens[k].value === '.' && tokens[k].kind === 'punct' && isName(tokens[k + 1]); k += 2) out.push({ start: tokens[k + 1].start, end: tokens[k + 1].end });
  return out;
}

/** Where a select-list item ends: the `,` or the clause after it, at its own depth. */
function targetEnd(text: string, start: number): number {
  const tokens = tokenize(text, start, Math.min(text.length, start + 20000));
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') {
      if (depth === 0) return t.start;
      depth--;
    } else if (depth === 0 && ((t.kind === 'punct' && (t.value === ',' || t.value === ';')) || (t.kind === 'ident' && TARGET_END.has(t.value)))) return t.start;
  }
  return tokens.length ? tokens[tokens.length - 1].end : start;
}
const TARGET_END = new Set(['from', 'where', 'group', 'having', 'order', 'limit', 'offset', 'window', 'union', 'except', 'intersect', 'into', 'returning', 'for', 'fetch', 'on']);

/** The range of `name` inside the string literal at `offset` (`'public.events'` -> `events`). */
function stringNameRange(text: string, offset: number, name: string): { start: number; end: number } | undefined {
  const t = tokenize(text, offset, Math.min(text.length, offset + 512))[0];
  if (!t || t.kind !== 'string' || t.start !== offset || text[offset] !== "'") return undefined;
  const body = text.slice(offset + 1, t.end - 1).toLowerCase();
  const at = body.lastIndexOf(name.toLowerCase());
  return at < 0 ? undefined : { start: offset + 1 + at, end: offset + 1 + at + name.length };
}
