/**
 * textDocument/completion and textDocument/signatureHelp: the core's answers (src/core/complete) turned into LSP
 * items. Completion reads the document's current text but the model of its last analysis: an edit is not
 * analysed again before the list is shown (the analysis of a large file takes longer than a completion may).
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type SignatureHelp,
} from 'vscode-languageserver';
import { completeAt, type CompletionCandidate, type CompletionKind } from '../core/complete';
import { searchPathAt } from '../core/complete/region';
import { signatureAt } from '../core/complete/signature';
import type { LineIndex } from '../core/parse/offsets';
import { toRange } from './convert';
import type { AnalyzedDocument } from './documents';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  table: CompletionItemKind.Class,
  view: CompletionItemKind.Interface,
  cte: CompletionItemKind.Reference,
  schema: CompletionItemKind.Module,
  column: CompletionItemKind.Field,
  alias: CompletionItemKind.Variable,
  function: CompletionItemKind.Function,
  keyword: CompletionItemKind.Keyword,
  setting: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  argument: CompletionItemKind.Property,
};

export interface CompletionOptions {
  /** the client inserts snippets (`$0`) */
  snippets: boolean;
}

/** Completion at `offset` of `text` (`lines` its index), with the model and search path of `analyzed` (the document's last analysis). */
export function completion(text: string, lines: LineIndex, offset: number, analyzed: AnalyzedDocument, options: CompletionOptions): CompletionList {
  const result = completeAt({
    text,
    offset,
    model: analyzed.analysis.model,
    searchPath: searchPathAt(analyzed.analysis.parsed, offset),
  });
  const range = toRange(lines, result.range);
  return { isIncomplete: result.incomplete, items: result.items.map((c) => toItem(c, range, options)) };
}

function toItem(c: CompletionCandidate, range: ReturnType<typeof toRange>, options: CompletionOptions): CompletionItem {
  const snippet = c.snippet && options.snippets;
  const text = c.insertText ?? c.label;
  const item: CompletionItem = {
    label: c.label,
    kind: KIND[c.kind],
    sortText: c.sortText,
    textEdit: { range, newText: snippet ? text : text.replace(/\$0/g, '') },
  };
  if (c.detail || c.description) item.labelDetails = { ...(c.detail ? { detail: ` ${c.detail}` } : {}), ...(c.description ? { description: c.description } : {}) };
  if (c.detail) item.detail = c.detail;
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.filterText) item.filterText = c.filterText;
  if (snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  if (c.preselect) item.preselect = true;
  if (c.signatureHelp) item.command = { title: 'Signature help', command: 'editor.action.triggerParameterHints' };
  else if (c.suggestAgain) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  return item;
}

export function signatureHelp(text: string, offset: number): SignatureHelp | null {
  const r = signatureAt(text, offset);
  if (!r) return null;
  // no parameter: one past the last (VS Code then highlights none; omitting it would highlight the first)
  const none = r.signatures[r.activeSignature]?.parameters.length ?? 0;
  return {
    activeSignature: r.activeSignature,
    activeParameter: r.activeParameter < 0 ? none : r.activeParameter,
    signatures: r.signatures.map((s) => ({
      label: s.label,
      documentation: s.documentation,
      parameters: s.parameters.map((p) => ({ label: p.label, ...(p.documentation ? { documentation: p.documentation } : {}) })),
    })),
  };
}
