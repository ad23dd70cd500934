/**
 * JUnit XML, as CI systems read test reports (GitLab `artifacts:reports:junit`, Jenkins, Azure Pipelines,
 * CircleCI): one <testsuite> per file, one <testcase> per rule that reported findings in it, with one <failure>
 * per finding (type = severity, message = the finding, text = file:line:col and the rule's doc URL), and one
 * passing <testcase> for a file without findings. Elements and attributes follow the JUnit XML example of
 * GitLab's "Unit test reports" documentation.
 */
import { ruleDocUrl } from '../../core/rules/rule';
import type { LintedFile } from './model';

export function formatJunit(files: readonly LintedFile[]): string {
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  for (const f of files) {
    const path = f.path.split('\\').join('/');
    const byRule = new Map<string, string[]>();
    for (const d of f.analysis.findings) {
      const p = f.lines.position(d.range.start);
      const failures = byRule.get(d.rule) ?? [];
      failures.push(
        `      <failure type="${attr(d.severity)}" message="${attr(d.message)}">${text(`${path}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.rule}\n${d.message}\n${ruleDocUrl(d.rule)}`)}</failure>`,
      );
      byRule.set(d.rule, failures);
    }
    const cases: string[] = [];
    for (const [rule, failures] of byRule) cases.push(`    <testcase name="${attr(rule)}" classname="${attr(path)}" file="${attr(path)}">\n${failures.join('\n')}\n    </testcase>`);
    if (cases.length === 0) cases.push(`    <testcase name="citus-rollups" classname="${attr(path)}" file="${attr(path)}"/>`);
    const failures = f.analysis.findings.length;
    const tests = byRule.size || 1;
    totalTests += tests;
    totalFailures += failures;
    suites.push(`  <testsuite name="${attr(path)}" tests="${tests}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="citus-rollups" tests="${totalTests}" failures="${totalFailures}" errors="0">`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}

/** XML 1.0 cannot carry most control characters, even escaped: they become U+FFFD. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
