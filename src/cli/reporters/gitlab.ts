/**
 * GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of issues with description,
 * check_name, fingerprint, severity and location (path, lines.begin / positions), the subset of the Code
 * Climate spec that GitLab reads ("Code Quality report format", docs.gitlab.com/ci/testing/code_quality/).
 * The fingerprint identifies the finding across runs: path, rule, message and the statement's text, not its
 * line, so that an edit above it does not make it look new.
 */
import { createHash } from 'node:crypto';
import { ruleDocUrl } from '../../core/rules/rule';
import type { Severity } from '../../core/types';
import type { LintedFile } from './model';

const SEVERITY: Record<Severity, 'blocker' | 'critical' | 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', information: 'info', hint: 'info' };

export function formatGitlab(files: readonly LintedFile[]): string {
  const issues: unknown[] = [];
  for (const f of files) {
    const path = f.path.split('\\').join('/');
    const seen = new Map<string, number>();
    for (const d of f.analysis.findings) {
      const s = f.lines.position(d.range.start);
      const e = f.lines.position(d.range.end);
      const statement = f.analysis.statements.find((st) => st.index === d.statementIndex);
      const key = [path, d.rule, d.message, statement ? f.text.slice(statement.range.start, statement.range.end) : ''].join('\0');
      const n = (seen.get(key) ?? 0) + 1; // the same finding twice in one statement: still two issues
      seen.set(key, n);
      issues.push({
        type: 'issue',
        check_name: d.rule,
        description: `${d.message} (${ruleDocUrl(d.rule)})`,
        categories: ['Performance'],
        fingerprint: createHash('md5').update(`${key}\0${n}`).digest('hex'),
        severity: SEVERITY[d.severity],
        location: {
          path,
          lines: { begin: s.line + 1, end: e.line + 1 },
        },
      });
    }
  }
  return JSON.stringify(issues, null, 2);
}
