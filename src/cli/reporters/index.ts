/** The report formats of `citus-rollups lint`, by name. */
import { VERSION } from '../version';
import { formatGithub } from './github';
import { formatGitlab } from './gitlab';
import { formatJson } from './json';
import { formatJunit } from './junit';
import type { LintedFile } from './model';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

export function report(format: Format, files: readonly LintedFile[]): string {
  switch (format) {
    case 'json':
      return formatJson(files);
    case 'sarif':
      return formatSarif(files, VERSION);
    case 'github':
      return formatGithub(files);
    case 'gitlab':
      return formatGitlab(files);
    case 'junit':
      return formatJunit(files);
    default:
      return formatText(files);
  }
}
