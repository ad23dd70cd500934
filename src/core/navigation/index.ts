/**
 * Go to definition, find references and document highlights for tables, columns and CTEs, over the documents of a
 * workspace, from the occurrences the semantic layer resolves (./occurrences.ts). Pure: the shells give the
 * documents (text and parse) and the model; positions are character offsets.
 */
import type { ParsedDocument, ParsedStatement } from '../parse/document';
import type { SchemaModel, TableModel } from '../schema/model';
import { searchPathAt } from '../complete/region';
import { documentOccurrences, lastNameAt, statementOccurrences, type Occurrence } from './occurrences';

export type { Occurrence, OccurrenceRole } from './occurrences';
export { columnSymbol, documentOccurrences, tableSymbol } from './occurrences';
export { tableDdl } from './ddl-text';

export interface WorkspaceDocument {
  /** the file's path (or URI): what `TableModel.definedAt.source` says for DDL in it */
  source: string;
  text: string;
  parsed: ParsedDocument;
}

/** The innermost statement containing `offset` (nested statements follow their enclosing one). */
export function statementAt(parsed: ParsedDocument, offset: number): ParsedStatement | undefined {
  let found: ParsedStatement | undefined;
  for (const s of parsed.statements) if (s.start <= offset && offset <= s.end) found = s;
  return found;
}

/** The table, column or CTE named at `offset`, resolved in its statement. */
export function occurrenceAt(doc: WorkspaceDocument, model: SchemaModel, offset: number): Occurrence | undefined {
  const stmt = statementAt(doc.parsed, offset);
  if (!stmt?.ast) return undefined;
  const occurrences = statementOccurrences(doc.text, stmt, model, { searchPath: searchPathAt(doc.parsed, stmt.start) });
  return occurrences.find((o) => o.start <= offset && offset <= o.end);
}

export interface DocumentOccurrence {
  doc: WorkspaceDocument;
  occurrence: Occurrence;
}

/**
 * Every occurrence of `symbol` in `docs`. CTEs and subquery columns are local to their statement: they are looked
 * for in `home` only.
 */
export function findReferences(target: Occurrence, home: WorkspaceDocument, docs: readonly WorkspaceDocument[], model: SchemaModel): DocumentOccurrence[] {
  const local = target.kind === 'cte' || target.symbol.startsWith('output:');
  const name = target.name.toLowerCase();
  const out: DocumentOccurrence[] = [];
  const seen = new Set<string>();
  for (const doc of local ? [home] : [home, ...docs.filter((d) => d.source !== home.source)]) {
    if (seen.has(doc.source)) continue;
    seen.add(doc.source);
    if (!doc.text.toLowerCase().includes(name)) continue;
    for (const occurrence of documentOccurrences(doc, model, (text) => text.toLowerCase().includes(name))) {
      if (occurrence.symbol === target.symbol) out.push({ doc, occurrence });
    }
  }
  return out;
}

export type Definition =
  | { kind: 'document'; doc: WorkspaceDocument; range: { start: number; end: number } }
  /** the relation has no DDL in the workspace (a snapshot's or the cluster's): its DDL is generated */
  | { kind: 'generated'; table: TableModel; column?: string };

/**
 * Where the symbol is defined: a CTE or subquery column in its statement; a table or column in the CREATE of the
 * workspace file the model says defines it (or an ALTER TABLE ... ADD COLUMN there); else the generated DDL of a
 * relation that comes from a snapshot or the cluster.
 */
export function definitionOf(target: Occurrence, home: WorkspaceDocument, docs: readonly WorkspaceDocument[], model: SchemaModel): Definition | undefined {
  if (target.definition) return { kind: 'document', doc: home, range: target.definition };
  const table = tableOfSymbol(target.symbol, model);
  if (!table) return undefined;
  const column = target.kind === 'column' ? target.symbol.slice(`column:${table.schema}.${table.name}.`.length) : undefined;
  const at = table.definedAt;
  const source = at ? [home, ...docs].find((d) => d.source === at.source) : undefined;
  if (source && at) {
    const defs = documentOccurrences(source, model, (text) => text.toLowerCase().includes((column ?? table.name).toLowerCase())).filter((o) => o.symbol === target.symbol && o.role === 'definition');
    // the CREATE the model took the relation from: the nearest definition at or after its name
    const after = at.offset === undefined ? [] : defs.filter((o) => o.start >= at.offset!);
    const best = after.length ? after.reduce((a, b) => (b.start < a.start ? b : a)) : defs[0];
    if (best) return { kind: 'document', doc: source, range: { start: best.start, end: best.end } };
    // a column without a definition of its own (a view's, CREATE TABLE AS): the relation's definition
    const name = at.offset !== undefined ? lastNameAt(source.text, at.offset) : undefined;
    if (name) return { kind: 'document', doc: source, range: name };
  }
  if (!at || !source) return { kind: 'generated', table, column };
  return undefined;
}

/** The table of a `table:` or `column:` symbol. */
export function tableOfSymbol(symbol: string, model: SchemaModel): TableModel | undefined {
  const m = /^(?:table|column):/.exec(symbol);
  if (!m) return undefined;
  const rest = symbol.slice(m[0].length);
  // names may contain dots when quoted: try each split, schema first
  for (let i = rest.indexOf('.'); i >= 0; i = rest.indexOf('.', i + 1)) {
    const schema = rest.slice(0, i);
    const tail = rest.slice(i + 1);
    if (symbol.startsWith('table:')) {
      const t = model.get(schema, tail);
      if (t) return t;
    } else {
      for (let j = tail.indexOf('.'); j >= 0; j = tail.indexOf('.', j + 1)) {
        const t = model.get(schema, tail.slice(0, j));
        if (t) return t;
      }
    }
  }
  return undefined;
}
