/** SARIF 2.1.0 output for code scanning: one run, the rules with help URIs to their docs. */
import type * as sarif from 'sarif';
import { ALL_RULE_METAS } from '../../core/rules/registry';
import { ruleDocUrl } from '../../core/rules/rule';
import type { Severity } from '../../core/types';
import type { LintedFile } from './model';

const LEVEL: Record<Severity, sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(files: readonly LintedFile[], toolVersion: string): string {
  const rules = ALL_RULE_METAS.map(
    (m): sarif.ReportingDescriptor => ({
      id: m.id,
      shortDescription: { text: m.summary },
      helpUri: ruleDocUrl(m.id),
      defaultConfiguration: { level: LEVEL[m.defaultSeverity] },
      properties: { fixable: m.fixable },
    }),
  );
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: sarif.Result[] = [];
  for (const f of files) {
    for (const d of f.analysis.findings) {
      const s = f.lines.position(d.range.start);
      const e = f.lines.position(d.range.end);
      results.push({
        ruleId: d.rule,
        ruleIndex: index.get(d.rule),
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: toUri(f.path) },
              region: { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 },
            },
          },
        ],
      });
    }
  }
  const log: sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'citus-rollups', informationUri: 'https://github.com/citus-rollups/citus-rollups', version: toolVersion, rules } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

/** Relative paths stay relative (code scanning resolves them against the checkout); separators become '/'. */
function toUri(p: string): string {
  return p.split('\\').join('/').split('/').map(encodeURIComponent).join('/');
}
