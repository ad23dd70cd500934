/**
 * The lint JSON contract (version 1), documented in docs/cli-json.md. Other tools read it: add fields,
 * never rename or remove them.
 */
import { toLspRange, type LintedFile } from './model';

export function formatJson(files: readonly LintedFile[]): string {
  return JSON.stringify(
    {
      version: 1,
      files: files.map((f) => ({
        path: f.path,
        statements: f.analysis.statements.map((s) => ({
          index: s.index,
          kind: s.kind,
          range: toLspRange(f.lines, s.range),
          ...(s.parentIndex !== undefined ? { parentIndex: s.parentIndex } : {}),
          ...(s.target !== undefined ? { target: s.target } : {}),
          method: s.prediction.method,
          ...(s.outcome !== undefined ? { outcome: s.outcome } : {}),
          ...(s.shardCount !== undefined ? { shardCount: s.shardCount } : {}),
          ...(s.shardCountUpperBound ? { shardCountUpperBound: true } : {}),
          reasons: s.prediction.reasons,
          ...(s.prediction.rule ? { rule: s.prediction.rule } : {}),
        })),
        diagnostics: f.analysis.findings.map((d) => ({
          rule: d.rule,
          severity: d.severity,
          message: d.message,
          range: toLspRange(f.lines, d.range),
          statementIndex: d.statementIndex,
          ...(d.fix ? { fix: { title: d.fix.title, edits: d.fix.edits.map((e) => ({ range: toLspRange(f.lines, e.range), newText: e.newText })) } } : {}),
        })),
      })),
    },
    null,
    2,
  );
}
