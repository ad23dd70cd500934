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
