/**
 * textDocument/definition (and declaration), references and documentHighlight: the core's navigation
 * (src/core/navigation) over the folder's documents, as LSP locations. A relation that only a snapshot or the
 * cluster defines opens as a generated, read-only DDL document (`citus-rollups-ddl:`), whose text the client asks
 * for with `citus/generatedDdl`.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentHighlightKind, type DocumentHighlight, type Location } from 'vscode-languageserver';
import { definitionOf, findReferences, occurrenceAt, tableDdl, type Definition, type Occurrence, type WorkspaceDocument } from '../core/navigation';
import { documentOccurrences } from '../core/navigation';
import { LineIndex } from '../core/parse/offsets';
import type { SchemaModel } from '../core/schema/model';
import { GENERATED_DDL_SCHEME } from '../protocol';
import { toRange } from './convert';
import type { AnalyzedDocument } from './documents';

/** How many generated DDL documents are kept for the client to read. */
const MAX_GENERATED = 200;

export class Navigation {
  private readonly generated = new Map<string, string>();
  private readonly lineIndexes = new WeakMap<WorkspaceDocument, LineIndex>();

  definition(home: AnalyzedDocument, offset: number, docs: readonly WorkspaceDocument[]): Location[] {
    const doc = workspaceDocument(home);
    const model = home.analysis.model;
    const target = occurrenceAt(doc, model, offset);
    if (!target) return [];
    const def = definitionOf(target, doc, docs, model);
    return def ? [this.location(def, model)] : [];
  }

  references(home: AnalyzedDocument, offset: number, docs: readonly WorkspaceDocument[], includeDeclaration: boolean): Location[] {
    const doc = workspaceDocument(home);
    const model = home.analysis.model;
    const target = occurrenceAt(doc, model, offset);
    if (!target) return [];
    return findReferences(target, doc, docs, model)
      .filter((r) => includeDeclaration || r.occurrence.role !== 'definition')
      .map((r) => ({ uri: uriOf(r.doc.source), range: toRange(this.lines(r.doc), r.occurrence) }));
  }

  highlights(home: AnalyzedDocument, offset: number): DocumentHighlight[] {
    const doc = workspaceDocument(home);
    const model = home.analysis.model;
    const target = occurrenceAt(doc, model, offset);
    if (!target) return [];
    const name = target.name.toLowerCase();
    return documentOccurrences(doc, model, (text) => text.toLowerCase().includes(name))
      .filter((o) => o.symbol === target.symbol)
      .map((o) => ({ range: toRange(home.lines, o), kind: highlightKind(o) }));
  }

  /** The text of a generated DDL document this server handed out (null when it has none under that URI). */
  generatedText(uri: string): string | null {
    return this.generated.get(generatedKey(uri)) ?? null;
  }

  private location(def: Definition, model: SchemaModel): Location {
    if (def.kind === 'document') return { uri: uriOf(def.doc.source), range: toRange(this.lines(def.doc), def.range) };
    const ddl = tableDdl(def.table, model);
    const uri = `${GENERATED_DDL_SCHEME}:/${encodeURIComponent(`${def.table.schema}.${def.table.name}`)}.sql`;
    // clients may encode the URI differently: keyed by its decoded form
    this.generated.delete(generatedKey(uri));
    this.generated.set(generatedKey(uri), ddl.text);
    if (this.generated.size > MAX_GENERATED) this.generated.delete(this.generated.keys().next().value as string);
    const at = (def.column !== undefined ? ddl.columnOffsets.get(def.column) : undefined) ?? ddl.nameOffset;
    const length = def.column !== undefined && ddl.columnOffsets.has(def.column) ? def.column.length : def.table.name.length;
    return { uri, range: toRange(new LineIndex(ddl.text), { start: at, end: at + length }) };
  }

  private lines(doc: WorkspaceDocument): LineIndex {
    let l = this.lineIndexes.get(doc);
    if (!l) this.lineIndexes.set(doc, (l = new LineIndex(doc.text)));
    return l;
  }
}

function highlightKind(o: Occurrence): DocumentHighlightKind {
  return o.role === 'write' ? DocumentHighlightKind.Write : o.role === 'definition' ? DocumentHighlightKind.Text : DocumentHighlightKind.Read;
}

/** The analysed document as the core's navigation sees it (its source is what `definedAt` names). */
export function workspaceDocument(doc: AnalyzedDocument): WorkspaceDocument {
  return { source: doc.file, text: doc.text, parsed: doc.analysis.parsed };
}

function generatedKey(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/** A document's URI from its source: a file path, or the URI itself (untitled documents). */
function uriOf(source: string): string {
  return path.isAbsolute(source) ? pathToFileURL(source).href : source;
}
