/** What every reporter receives: the analysed files with line/character positions. */
import { LineIndex } from '../../core/parse/offsets';
import type { DocumentAnalysis, Range } from '../../core/types';

export interface LintedFile {
  path: string;
  text: string;
  analysis: DocumentAnalysis;
  lines: LineIndex;
}

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export function toLspRange(lines: LineIndex, range: Range): LspRange {
  return { start: lines.position(range.start), end: lines.position(range.end) };
}

/** `N file(s): N error(s), N warning(s), N other finding(s)`: the last line of the text and github reports. */
export function summaryLine(files: readonly LintedFile[]): string {
  let errors = 0;
  let warnings = 0;
  let others = 0;
  for (const f of files) {
    for (const d of f.analysis.findings) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else others++;
    }
  }
  return `${files.length} file(s): ${errors} error(s), ${warnings} warning(s), ${others} other finding(s)`;
}
