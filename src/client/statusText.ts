/**
 * What the status bar item says about the active SQL file, in words that say what is counted. PURE (no vscode
 * import): the schema it is analysed with, and the findings the Problems panel lists for the file (errors,
 * warnings, information; hints are not in the Problems panel and not counted).
 */
import type { StatusParams } from '../protocol';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The item's text, tooltip lines and screen-reader label (plain words, no icons or Markdown). */
export function statusPresentation(p: StatusParams): { text: string; lines: string[]; label: string } {
  const f = p.findings;
  if (!p.enabled) {
    return { text: '$(circle-slash) Citus: off', lines: ['Analysis is off for this file (setting citusRollups.enable).'], label: 'Citus Rollups: analysis is off for this file' };
  }
  const counts = [
    [f.error, '$(error)', 'error'],
    [f.warning, '$(warning)', 'warning'],
    [f.information, '$(info)', 'information finding'],
  ] as const;
  const shown = counts.filter(([n]) => n > 0);
  const here = shown.map(([n, icon]) => `${icon} ${n}`).join(' ');
  const words = shown.map(([n, , word]) => plural(n, word)).join(', ') || 'no findings';
  const schema = `${p.schema.source}, ${plural(p.schema.tables, 'table')}`;
  return {
    text: `${p.schema.error ? '$(warning)' : '$(database)'} Citus: ${p.schema.source}${here ? ` · this file: ${here}` : ''}`,
    lines: [
      `Schema: ${schema}`,
      ...(p.schema.error ? [`Schema problem: ${p.schema.error}`] : []),
      `This file: ${words}${f.hint ? ` (and ${plural(f.hint, 'hint')}, not in the Problems panel)` : ''}`,
      `INSERT..SELECT statements in this file: ${p.insertSelects}`,
    ],
    label: `Citus Rollups. Schema: ${schema}${p.schema.error ? `; problem: ${p.schema.error}` : ''}. This file: ${words}. Shows the output.`,
  };
}
