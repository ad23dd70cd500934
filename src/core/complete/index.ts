/**
 * Completion at a cursor, from the same model as the analysis: tables and views (schema- and search_path-aware),
 * CTEs, the columns the semantic layer's namespace has in scope at the cursor (./probe.ts), Citus functions and
 * their named arguments and argument values, `citus.*` settings and their values, built-in functions, and the
 * keywords the grammar accepts there (./keywords.ts). Works on statements that do not parse yet.
 *
 * When the model does not know, it offers less: a column is offered only when the resolver has it in scope at the
 * cursor, a setting value only from the setting's type on a real Citus cluster.
 */
import { builtins } from '../semantic/catalog';
import type { SchemaModel, TableModel } from '../schema/model';
import { columnOrigin, inputOf, type VisibleColumn } from '../semantic/scope';
import { callAt, type CallAt } from './calls';
import { argumentRole, citusCatalog, regclassName, type CitusFunction, type CitusSetting } from './citus-catalog';
import { columnDetail, describeTable, functionSignature, isDistributionColumn, originTable, quoteIdent, tableDetail } from './describe';
import { expectedKeywords } from './keywords';
import { isName, significant, tokenize, type Token } from './lexer';
import { parseProbe, probeTexts, siteOf, type Site } from './probe';
import { statementRegionAt } from './region';

export type CompletionKind = 'table' | 'view' | 'cte' | 'schema' | 'column' | 'alias' | 'function' | 'keyword' | 'setting' | 'value' | 'argument';

export interface CompletionCandidate {
  label: string;
  kind: CompletionKind;
  /** shown after the label (a type, a signature) */
  detail?: string;
  /** shown at the right (where it comes from) */
  description?: string;
  /** Markdown */
  documentation?: string;
  insertText?: string;
  /** insertText is a snippet (`$0`) */
  snippet?: boolean;
  sortText: string;
  filterText?: string;
  /** open signature help once inserted (a function call) */
  signatureHelp?: boolean;
  /** open completion again once inserted (a schema followed by `.`) */
  suggestAgain?: boolean;
  preselect?: boolean;
  /** a column of an enclosing query level (an outer reference) */
  outer?: boolean;
}

export interface CompletionRequest {
  text: string;
  /** character offset of the cursor */
  offset: number;
  model: SchemaModel;
  /** the search_path in effect at the statement (./region.ts searchPathAt) */
  searchPath: string[];
  /** PL/pgSQL variables in scope (not columns) */
  variables?: readonly string[];
}

export interface CompletionResult {
  items: CompletionCandidate[];
  /** the text the items replace (character offsets) */
  range: { start: number; end: number };
  /** the list depends on the typed prefix (functions are filtered here): ask again as it changes */
  incomplete: boolean;
}

function none(offset: number): CompletionResult {
  return { items: [], range: { start: offset, end: offset }, incomplete: false };
}

/** Sort groups: what the cursor most likely wants first. */
const SORT = { expected: '0', column: '1', outer: '2', alias: '2', relation: '3', argument: '1', setting: '1', value: '1', citus: '4', builtin: '5', other: '6', keyword: '7' };

export function completeAt(req: CompletionRequest): CompletionResult {
  const { text, offset } = req;
  const region = statementRegionAt(text, offset);
  if (!region) return none(offset);
  const tokens = significant(tokenize(text, region.start, Math.max(region.end, offset)));
  const at = tokens.find((t) => t.start < offset && (offset < t.end || (offset === t.end && (t.kind === 'ident' || t.unterminated))));
  const before = tokens.filter((t) => t.end <= offset && t !== at);
  if (at?.kind === 'string') return stringCompletion(req, tokens, at);
  if (at && at.kind !== 'ident') return none(offset); // a number, an operator, a quoted identifier being typed
  const wordStart = at?.start ?? offset;
  const wordEnd = at?.end ?? offset;
  const typed = text.slice(wordStart, offset);
  const range = { start: wordStart, end: wordEnd };
  const qualifier = qualifierBefore(before);
  const out = new Items(typed);

  const setting = settingStatement(tokens, before);
  if (setting) {
    if (setting.kind === 'name') settingNames(out, qualifier);
    else settingValues(out, setting.name);
    return out.result(range);
  }

  const call = callAt(tokens, offset);
  const citusFn = call && !qualifier.length ? citusFunctionFor(call) : undefined;
  if (citusFn && call) {
    citusArguments(out, req, call, citusFn, false);
    // an argument of a Citus function: its values and names, and nothing else until something is typed
    if (!typed && out.size > 0) return out.result(range);
  }

  const prefix = text.slice(region.start, wordStart);
  const tail = text.slice(wordEnd, Math.max(region.end, wordEnd));
  // a statement of a data dump's size is not parsed a dozen times per key: less is offered there
  const parsed = prefix.length + tail.length <= MAX_PROBED_STATEMENT ? parseProbe(probeTexts(prefix, tail)) : undefined;
  const site: Site = parsed ? siteOf(parsed.ast, req.model, req.searchPath, req.variables ?? []) : relationByWord(before, qualifier);
  switch (site.kind) {
    case 'column':
      columnItems(out, site);
      // with nothing typed, Citus' DDL functions only where a FROM clause offers nothing (`SELECT |`)
      if (!qualifier.length) functionItems(out, typed, site.relations.length === 0);
      break;
    case 'relation':
      relationItems(out, req, site.schema ?? (qualifier.length === 1 ? qualifier[0] : undefined), site.ctes, site.target);
      break;
    case 'function':
      functionItems(out, typed, true);
      break;
    case 'target-column':
      if (site.table) targetColumnItems(out, site.table, site.used);
      break;
    default:
      break;
  }
  if (!qualifier.length && prefix.length <= MAX_PROBED_STATEMENT) for (const kw of expectedKeywords(prefix, typed)) out.keyword(kw);
  return out.result(range);
}

/** Statements longer than this (characters) are not completed into parsing text: columns and keywords are not offered. */
const MAX_PROBED_STATEMENT = 100_000;

/** Collects candidates, once per label, filtered by the typed prefix where the list would be long. */
class Items {
  private readonly items = new Map<string, CompletionCandidate>();
  incomplete = false;
  constructor(readonly typed: string) {}

  add(item: CompletionCandidate): void {
    const key = `${item.kind}\u0000${item.label}`;
    const had = this.items.get(key);
    if (!had || had.sortText > item.sortText) this.items.set(key, item);
  }

  get size(): number {
    return this.items.size;
  }

  has(label: string): boolean {
    for (const i of this.items.values()) if (i.label === label) return true;
    return false;
  }

  keyword(label: string): void {
    const lower = this.typed.length > 0 && this.typed === this.typed.toLowerCase();
    this.add({ label, kind: 'keyword', sortText: SORT.keyword + label, ...(lower ? { insertText: label.toLowerCase() } : {}) });
  }

  result(range: { start: number; end: number }): CompletionResult {
    return { items: [...this.items.values()], range, incomplete: this.incomplete };
  }
}

/** Words after which only a relation's name can come (when the statement cannot be completed into one that parses). */
const RELATION_WORDS = new Set(['from', 'join', 'into', 'update', 'table', 'truncate', 'only', 'references']);

/** The statement did not parse in any completion of it: a relation name when the word before says so, else nothing. */
function relationByWord(before: readonly Token[], qualifier: readonly string[]): Site {
  const prev = before[before.length - 1 - qualifier.length * 2];
  return prev?.kind === 'ident' && RELATION_WORDS.has(prev.value) ? { kind: 'relation', ctes: [], target: prev.value === 'into' || prev.value === 'update' } : { kind: 'other' };
}

/** `a.b.` before the word: the names, in order. */
function qualifierBefore(before: readonly Token[]): string[] {
  const names: string[] = [];
  let k = before.length - 1;
  while (k >= 1 && before[k].kind === 'punct' && before[k].value === '.' && isName(before[k - 1])) {
    names.unshift(before[k - 1].value);
    k -= 2;
  }
  return names;
}

// ---- columns, relations, functions --------------------------------------------------------------------

function columnItems(out: Items, site: Extract<Site, { kind: 'column' }>): void {
  const expected = site.insertTarget;
  /** `qualifier`: the item name the label starts with (`p` of `p.tenant_id`), when it must be qualified */
  const push = (v: { item: VisibleColumn['item']; column: VisibleColumn['column']; levelsUp: number }, qualifier?: { refname: string; column: string }): void => {
    const name = v.column.name;
    const label = qualifier ? `${qualifier.refname}.${qualifier.column}` : name;
    const dist = isDistributionColumn(columnOrigin(v.column));
    const goesTo = expected && expected.column === name;
    // "of events" when the column is not the table's own (a CTE's, a subquery's, a renamed one)
    const own = v.item.item?.kind === 'rel' && v.item.item.rel.table.name === dist && originTable(columnOrigin(v.column)) === v.item.item.rel.table;
    out.add({
      label,
      kind: 'column',
      detail: columnDetail(v.column.type),
      description: [v.item.refname, dist ? `distribution column${own ? '' : ` of ${dist}`}` : undefined, goesTo ? `→ ${expected.column}` : undefined].filter(Boolean).join(' · ') || undefined,
      documentation: columnDoc(v, dist) + (goesTo ? `\n\nThis output column goes to \`${expected.column}\` of \`${expected.table.name}\` (the INSERT's column list, in order).` : ''),
      sortText: (goesTo ? SORT.expected : v.levelsUp > 0 ? SORT.outer : SORT.column) + label,
      insertText: qualifier ? `${quoteIdent(qualifier.refname)}.${quoteIdent(qualifier.column)}` : quoteIdent(name),
      // typing the column's name finds its qualified forms
      ...(qualifier ? { filterText: qualifier.column } : {}),
      ...(goesTo ? { preselect: true } : {}),
      ...(v.levelsUp > 0 ? { outer: true } : {}),
    });
  };
  if (site.qualifier.length) {
    const item = site.qualified;
    for (const column of item?.columns ?? []) push({ item: item!, column, levelsUp: 0 });
    return;
  }
  for (const v of site.columns) {
    if (!v.ambiguous && !v.uncertain) push(v);
    else {
      // only the qualified form resolves: by the item's name, or (an alias-less join) the input's it stands for
      const by = v.item.refname ? { item: v.item, column: v.column.name } : inputOf(v.item, v.column);
      if (by?.item.refname) push(v, { refname: by.item.refname, column: by.column });
    }
  }
  for (const { item, levelsUp } of site.relations) {
    const name = item.refname as string;
    if (out.has(name)) continue;
    out.add({
      label: name,
      kind: 'alias',
      detail: item.table ? undefined : item.item?.kind === 'cte' ? 'CTE' : item.item?.kind === 'subquery' ? 'subquery' : undefined,
      description: item.table && item.table.name !== name ? item.table.name : undefined,
      sortText: (levelsUp > 0 ? SORT.outer : SORT.alias) + name,
    });
  }
  for (const name of site.outputNames ?? []) out.add({ label: name, kind: 'column', detail: 'output column', sortText: SORT.column + name });
}

function columnDoc(v: { item: VisibleColumn['item']; column: VisibleColumn['column'] }, dist: string | undefined): string {
  const from = originTable(columnOrigin(v.column));
  const lines = [`Column \`${v.column.name}\`${v.item.refname ? ` of \`${v.item.refname}\`` : ''}${from && from.name !== v.item.refname ? ` (\`${from.name}\`)` : ''}: ${columnDetail(v.column.type) ?? 'type unknown'}`];
  if (dist) lines.push('', `Distribution column of \`${dist}\`.`);
  return lines.join('\n');
}

/** Tables and views of `schema`, or those the search path reaches plus the others qualified, plus CTEs. */
function relationItems(out: Items, req: CompletionRequest, schema: string | undefined, ctes: readonly { name: string }[], target: boolean): void {
  const { model, searchPath } = req;
  const tables = [...model.tables.values()].filter((t) => !t.catalog);
  if (schema) {
    for (const t of tables) if (t.schema === schema) out.add(tableItem(t, model, t.name, SORT.relation));
    return;
  }
  if (!target) for (const c of ctes) out.add({ label: c.name, kind: 'cte', detail: 'CTE', sortText: SORT.alias + c.name, insertText: quoteIdent(c.name) });
  for (const t of tables) {
    const reachable = model.resolve(undefined, t.name, searchPath) === t;
    out.add(tableItem(t, model, reachable ? t.name : `${t.schema}.${t.name}`, reachable ? SORT.relation : SORT.other));
  }
  for (const s of model.schemas) {
    if (searchPath.includes(s) && !tables.some((t) => t.schema === s && model.resolve(undefined, t.name, searchPath) !== t)) continue;
    out.add({ label: s, kind: 'schema', detail: 'schema', insertText: `${quoteIdent(s)}.`, suggestAgain: true, sortText: SORT.other + s });
  }
}

function tableItem(t: TableModel, model: SchemaModel, label: string, sort: string): CompletionCandidate {
  return {
    label,
    kind: t.kind === 'view' || t.kind === 'matview' ? 'view' : 'table',
    detail: tableDetail(t),
    description: t.distributionColumn ? `by ${t.distributionColumn}` : undefined,
    documentation: describeTable(t, model),
    insertText: label.split('.').map(quoteIdent).join('.'),
    sortText: sort + label,
  };
}

function targetColumnItems(out: Items, table: TableModel, used: readonly string[]): void {
  table.columns.forEach((c, i) => {
    if (used.includes(c.name)) return;
    const dist = table.distributionColumn === c.name;
    out.add({
      label: c.name,
      kind: 'column',
      detail: c.type,
      description: [table.name, dist ? 'distribution column' : undefined].filter(Boolean).join(' · '),
      insertText: quoteIdent(c.name),
      // in table order: INSERT column lists usually follow it
      sortText: SORT.column + String(i).padStart(4, '0'),
    });
  });
}

/** Citus functions, then built-in ones, whose names start with what is typed (the built-ins only once something is). */
function functionItems(out: Items, typed: string, citusFirst: boolean): void {
  const t = typed.toLowerCase();
  out.incomplete = true;
  for (const [name, overloads] of citusCatalog().functions) {
    if (!name.startsWith(t) || (t.length === 0 && !(citusFirst && CITUS_FUNCTIONS_FIRST.has(name)))) continue;
    out.add({
      label: name,
      kind: 'function',
      detail: functionSignature(overloads[0]),
      description: 'Citus',
      documentation: overloads.map((f) => `\`${f.name}(${f.args.map((a) => `${a.name} ${a.type}`).join(', ')})\` → \`${f.result}\`${f.description ? `\n\n${f.description}` : ''}`).join('\n\n---\n\n'),
      insertText: `${name}($0)`,
      snippet: true,
      signatureHelp: true,
      sortText: SORT.citus + name,
    });
  }
  if (t.length === 0) return;
  const cat = builtins();
  for (const name of cat.functionNames()) {
    if (!name.startsWith(t) || SUPPORT_FUNCTION.test(name) || out.has(name)) continue;
    const overloads = cat.functionsNamed(name);
    const first = overloads[0];
    const kind = first.kind === 'a' ? 'aggregate' : first.kind === 'w' ? 'window function' : undefined;
    out.add({
      label: name,
      kind: 'function',
      detail: `(${(first.argNames?.length ? first.args.map((a, i) => `${first.argNames?.[i] ? `${first.argNames[i]} ` : ''}${cat.display(a)}`) : first.args.map((a) => cat.display(a))).join(', ')}) → ${cat.display(first.result)}`,
      description: [kind, overloads.length > 1 ? `+${overloads.length - 1} overloads` : undefined].filter(Boolean).join(' · ') || undefined,
      insertText: `${name}($0)`,
      snippet: true,
      signatureHelp: true,
      sortText: SORT.builtin + name,
    });
  }
}

/** Citus functions offered before anything is typed: the ones a rollup's DDL calls. */
const CITUS_FUNCTIONS_FIRST = new Set(['create_distributed_table', 'create_reference_table', 'create_distributed_table_concurrently', 'citus_add_local_table_to_metadata', 'alter_distributed_table', 'undistribute_table', 'update_distributed_table_colocation', 'create_distributed_function', 'run_command_on_workers', 'citus_schema_distribute']);

/** Functions that implement operators, casts and index support: callable, but never what one means to type. */
const SUPPORT_FUNCTION =
  /_(eq|ne|lt|le|gt|ge|cmp|pl|mi|mul|div|larger|smaller|hash|hash_extended|send|recv|in|out|typmodin|typmodout|support|sortsupport|subdiff|mi_interval|pl_interval)$|(send|recv|typmodin|typmodout)$|^(text|int[248]|float[48]|numeric|bool|char|name|oid|date|time|timetz|timestamp|timestamptz|interval|bpchar|varchar|bytea|uuid|jsonb?|inet|cidr|macaddr8?|tid|xid8?|cid|cash|bit|varbit|tsvector|tsquery|box|point|lseg|line|path|poly|circle|pg_lsn|network|tsq|enum|record|array|range|uuid)(eq|ne|lt|le|gt|ge|cmp|pl|mi|mul|div|mod|um|up|abs|larger|smaller|eqname|nename|ltname|lename|gtname|gename|like|nlike|iclike|icnlike|regexeq|regexne|icregexeq|icregexne|anycat|cat|len|_[a-z]+_[a-z]+)$/;

// ---- Citus functions: arguments -------------------------------------------------------------------------

function citusFunctionFor(call: CallAt): CitusFunction | undefined {
  if (call.schema && call.schema !== 'pg_catalog') return undefined;
  const overloads = citusCatalog().functions.get(call.name);
  return overloads?.[0];
}

/** The argument the cursor is in: by name (`colocate_with => `), else by position. */
function argumentIndex(fn: CitusFunction, call: CallAt): number {
  const current = call.args[call.index];
  if (current.name) return fn.args.findIndex((a) => a.name === current.name);
  if (call.args.slice(0, call.index).some((a) => a.name)) return -1; // positional after named: not valid SQL
  return call.index;
}

/** Values for the argument at the cursor (quoted when `quoted` is false), and the named arguments not given yet. */
function citusArguments(out: Items, req: CompletionRequest, call: CallAt, fn: CitusFunction, inString: boolean): void {
  const index = argumentIndex(fn, call);
  const role = index >= 0 ? argumentRole(fn, index) : { kind: 'value' as const };
  const q = (s: string): string => (inString ? s.replace(/'/g, "''") : `'${s.replace(/'/g, "''")}'`);
  const current = call.args[call.index];
  const empty = current.tokens.length === 0 || (current.tokens.length === 1 && (current.tokens[0].kind === 'ident' || current.tokens[0].kind === 'string'));
  if (!empty) return;
  if (role.kind === 'relation') {
    for (const t of req.model.tables.values()) {
      if (t.catalog) continue;
      const reachable = req.model.resolve(undefined, t.name, req.searchPath) === t;
      const name = reachable ? quoteIdent(t.name) : `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      out.add({ label: q(name), kind: t.kind === 'view' ? 'view' : 'table', detail: tableDetail(t), description: t.distributionColumn ? `by ${t.distributionColumn}` : undefined, documentation: describeTable(t, req.model), sortText: SORT.argument + name, filterText: inString ? name : q(name) });
    }
    if (role.colocate) for (const v of ['default', 'none']) out.add({ label: q(v), kind: 'value', detail: v === 'default' ? "Citus' default colocation group" : 'a new colocation group', sortText: SORT.value + v });
  } else if (role.kind === 'column') {
    const table = tableOfArgument(req, call, fn, role.relationArg);
    for (const c of table?.columns ?? []) out.add({ label: q(quoteIdent(c.name)), kind: 'column', detail: c.type, description: table?.name, sortText: SORT.argument + c.name, filterText: inString ? c.name : q(c.name) });
  } else if (role.kind === 'enum') {
    for (const v of role.values) out.add({ label: q(v), kind: 'value', detail: fn.args[index]?.type, sortText: SORT.value + v });
  }
  if (inString || current.name) return;
  // named arguments not given yet (PostgreSQL allows them after the positional ones)
  const given = new Set(call.args.slice(0, call.index).map((a, i) => a.name ?? fn.args[i]?.name));
  fn.args.forEach((a, i) => {
    if (!a.name || given.has(a.name) || i < call.index) return;
    out.add({ label: `${a.name} =>`, kind: 'argument', detail: a.type, description: a.default !== undefined ? `default ${a.default.replace(/::[\w. ]+$/, '')}` : 'required', insertText: `${a.name} => `, filterText: a.name, sortText: SORT.argument + String(i).padStart(2, '0'), suggestAgain: true });
  });
}

/** The table named by the relation argument of a call (`create_distributed_table('events', ...)`). */
function tableOfArgument(req: CompletionRequest, call: CallAt, fn: CitusFunction, relationArg: number): TableModel | undefined {
  const relName = fn.args[relationArg]?.name;
  const arg = call.args.find((a) => a.name === relName) ?? (call.args[relationArg]?.name ? undefined : call.args[relationArg]);
  const tok = arg?.tokens.length === 1 && arg.tokens[0].kind === 'string' ? arg.tokens[0] : undefined;
  if (!tok) return undefined;
  const parts = regclassName(tok.value);
  if (!parts) return undefined;
  return req.model.resolve(parts.length === 2 ? parts[0] : undefined, parts[parts.length - 1], req.searchPath);
}

// ---- strings: Citus function arguments, setting names --------------------------------------------------

function stringCompletion(req: CompletionRequest, tokens: readonly Token[], str: Token): CompletionResult {
  const text = req.text;
  const contentStart = str.start + 1;
  if (text[str.start] !== "'") return none(req.offset); // E'', $$ bodies: not an argument being typed
  // the rest of the string is replaced only when it closes on the cursor's line (an unclosed quote runs on)
  const lineEnd = text.indexOf('\n', req.offset);
  const contentEnd = !str.unterminated && (lineEnd < 0 || str.end - 1 <= lineEnd) ? str.end - 1 : req.offset;
  const typed = text.slice(contentStart, req.offset);
  const range = { start: contentStart, end: contentEnd };
  const out = new Items(typed);
  const call = callAt(tokens, req.offset);
  if (call && (call.name === 'set_config' || call.name === 'current_setting') && call.index === 0) {
    settingNames(out, [], true);
    return out.result(range);
  }
  const fn = call ? citusFunctionFor(call) : undefined;
  if (call && fn) citusArguments(out, req, call, fn, true);
  const setting = settingStatement(tokens, tokens.filter((t) => t.end <= str.start));
  if (setting?.kind === 'value') settingValues(out, setting.name, true);
  return out.result(range);
}

/** SET / RESET / SHOW: whether the cursor is at the setting's name or at its value. */
function settingStatement(tokens: readonly Token[], before: readonly Token[]): { kind: 'name' } | { kind: 'value'; name: string } | undefined {
  const first = tokens[0];
  if (!first || first.kind !== 'ident' || !(first.value === 'set' || first.value === 'reset' || first.value === 'show')) return undefined;
  let k = 1;
  if (first.value === 'set' && (tokens[k]?.value === 'local' || tokens[k]?.value === 'session')) k++;
  // the name: ident(.ident)*
  let j = k;
  if (isName(tokens[j])) {
    j++;
    while (tokens[j]?.value === '.' && tokens[j].kind === 'punct') j += isName(tokens[j + 1]) ? 2 : 1;
  }
  if (before.length < j || (before.length === j && (j === k || tokens[j - 1].value === '.'))) return { kind: 'name' };
  const sep = tokens[j];
  if (first.value !== 'set' || !sep || !(sep.value === '=' || sep.value === 'to') || before.length <= j) return undefined;
  return { kind: 'value', name: tokens.slice(k, j).map((t) => t.value).join('') };
}

function settingNames(out: Items, qualifier: readonly string[], inString = false): void {
  const q = qualifier.join('.');
  if (q && q !== 'citus') return;
  for (const s of citusCatalog().settings.values()) {
    const full = `citus.${s.name}`;
    out.add({
      label: q ? s.name : full,
      kind: 'setting',
      detail: settingType(s),
      description: s.default !== '' ? `default ${s.default}${s.unit && !/[a-z]$/i.test(s.default) ? ` ${s.unit}` : ''}` : undefined,
      documentation: settingDoc(s),
      filterText: q || inString ? undefined : full,
      sortText: (s.context === 'user' || s.context === '' ? SORT.setting : SORT.other) + s.name,
    });
  }
  if (!q && !inString) out.add({ label: 'search_path', kind: 'setting', detail: 'string', sortText: SORT.setting + 'search_path' });
}

function settingValues(out: Items, name: string, inString = false): void {
  const s = name.startsWith('citus.') ? citusCatalog().settings.get(name.slice(6)) : undefined;
  if (!s) return;
  const values = s.type === 'bool' ? ['on', 'off'] : s.type === 'enum' ? (s.values ?? []) : s.default !== '' && s.type !== 'string' ? [s.default] : [];
  values.forEach((v, i) => {
    const bare = /^[a-z_][a-z0-9_]*$/.test(v) || /^-?\d+$/.test(v);
    out.add({
      label: inString || bare ? v : `'${v}'`,
      kind: 'value',
      detail: v === s.default ? 'default' : undefined,
      sortText: SORT.value + String(i).padStart(3, '0'),
    });
  });
  if (!inString) out.keyword('DEFAULT');
}

function settingType(s: CitusSetting): string {
  if (s.type === 'enum') return (s.values ?? []).join(' | ');
  if (s.type === 'integer' || s.type === 'real') return s.unit ? `${s.type} (${s.unit})` : s.type;
  return s.type === 'bool' ? 'boolean' : s.type;
}

function settingDoc(s: CitusSetting): string {
  const lines = [`\`citus.${s.name}\`: ${settingType(s)}`];
  if (s.description) lines.push('', s.description);
  if (s.default !== '') lines.push('', `Default: \`${s.default}\`${s.min !== undefined && s.max !== undefined ? ` (from ${s.min} to ${s.max})` : ''}`);
  if (s.context && s.context !== 'user') lines.push('', `Context: ${s.context}${s.context === 'sighup' || s.context === 'postmaster' ? ' (not changeable with SET in a session)' : ''}`);
  return lines.join('\n');
}
