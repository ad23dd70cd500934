/**
 * Code actions unpack what the diagnostics carry (squawk's habit): the finding's own fix, "disable
 * <rule> for this statement" (a directive analyzeDocument honours) and "open documentation".
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { ruleDocUrl } from '../core/rules/rule';
import { Commands, DISABLE_DIRECTIVE, type DiagnosticData } from '../protocol';
import { DIAGNOSTIC_SOURCE } from './convert';
import { statementAt, type AnalyzedDocument } from './documents';

export function codeActions(doc: AnalyzedDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const seenRules = new Set<string>();
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const data = d.data as DiagnosticData | undefined;
    const rule = typeof d.code === 'string' ? d.code : undefined;
    if (!rule) continue;
    if (data?.fix && data.fix.edits.length > 0) {
      out.push({
        title: data.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [doc.uri]: data.fix.edits } },
      });
    }
    if (rule !== 'syntax-error') {
      const disable = disableEdit(doc, d, rule);
      if (disable) out.push({ title: `Disable ${rule} for this statement`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: disable });
    }
    if (!seenRules.has(rule)) {
      seenRules.add(rule);
      out.push({
        title: `Open documentation for ${rule}`,
        kind: CodeActionKind.Empty,
        command: { title: `Open documentation for ${rule}`, command: Commands.openRuleDoc, arguments: [ruleDocUrl(rule)] },
      });
    }
  }
  return out;
}

/** Inserts the directive on its own line above the statement, with the statement's indentation. */
function disableEdit(doc: AnalyzedDocument, d: Diagnostic, rule: string): CodeAction['edit'] | undefined {
  const stmt = statementAt(doc, doc.lines.offset(d.range.start));
  if (!stmt) return undefined;
  const pos = doc.lines.position(stmt.start);
  const lineStart = doc.lines.offset({ line: pos.line, character: 0 });
  const before = doc.text.slice(lineStart, stmt.start);
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const directive = `${DISABLE_DIRECTIVE} ${rule}`;
  // Alone on its line: insert a line above. After other code (`SELECT 1; INSERT ...`): break the line.
  const edit = /^\s*$/.test(before)
    ? { range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } }, newText: `${before}${directive}${eol}` }
    : { range: { start: pos, end: pos }, newText: `${directive}${eol}` };
  return { changes: { [doc.uri]: [edit] } };
}
