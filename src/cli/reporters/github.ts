/**
 * GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding, which the runner
 * turns into annotations on the pull request's changed lines. Format and escaping as documented in "Workflow
 * commands for GitHub Actions" (docs.github.com/actions/reference/workflow-commands-for-github-actions) and as
 * @actions/core writes them (a test compares both). The message ends with the rule's documentation URL.
 */
import { ruleDocUrl } from '../../core/rules/rule';
import type { Severity } from '../../core/types';
import { summaryLine, type LintedFile } from './model';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

export function formatGithub(files: readonly LintedFile[]): string {
  const lines: string[] = [];
  for (const f of files) {
    for (const d of f.analysis.findings) {
      const s = f.lines.position(d.range.start);
      const e = f.lines.position(d.range.end);
      const properties: Array<[string, string]> = [
        ['title', `${d.rule} (citus-rollups)`],
        ['file', f.path.split('\\').join('/')],
        ['line', String(s.line + 1)],
        ['endLine', String(e.line + 1)],
        ['col', String(s.character + 1)],
        ['endColumn', String(e.character + 1)],
      ];
      const props = properties.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',');
      lines.push(`::${COMMAND[d.severity]} ${props}::${escapeData(`${d.message}\n${ruleDocUrl(d.rule)}`)}`);
    }
  }
  lines.push(summaryLine(files));
  return lines.join('\n');
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
