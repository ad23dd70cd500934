/**
 * Code lenses above each INSERT..SELECT (the predicted method, and "Explain on cluster") and above each
 * multi-shard UPDATE / DELETE / MERGE (how many shards it touches).
 */
import type { CodeLens } from 'vscode-languageserver';
import { Commands } from '../protocol';
import type { AnalyzedDocument } from './documents';
import { outcomeTitle, predictionTitle } from './convert';

export function codeLenses(doc: AnalyzedDocument): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const s of doc.analysis.statements) {
    if (s.outcome === 'multi_shard' && isModification(doc.text.slice(s.range.start, s.range.start + 12))) {
      const pos = doc.lines.position(s.range.start);
      lenses.push({
        range: { start: pos, end: pos },
        command: { title: outcomeTitle(s.outcome, s.shardCount, s.shardCountUpperBound, s.prediction.summary), command: '', tooltip: s.prediction.reasons.join('\n\n') || undefined } as CodeLens['command'],
      });
      continue;
    }
    if (s.kind !== 'insert_select') continue;
    const pos = doc.lines.position(s.range.start);
    const range = { start: pos, end: pos };
    const reasons = s.prediction.reasons.join('\n\n');
    lenses.push({
      range,
      // An empty command id makes the lens a label: the details are in the hover on INSERT.
      command: { title: predictionTitle(s.prediction.method, s.prediction.summary), command: '', tooltip: reasons || undefined } as CodeLens['command'],
    });
    lenses.push({
      range,
      command: { title: 'Explain on cluster', command: Commands.explainStatement, arguments: [doc.uri, s.range.start] },
    });
  }
  return lenses;
}

function isModification(head: string): boolean {
  return /^\s*(WITH\b[\s\S]*)?(UPDATE|DELETE|MERGE)\b/i.test(head);
}
