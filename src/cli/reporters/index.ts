/** The report formats of `citus-rollups lint`, by name. */
import type { LintedFile } from './model';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

/** The report in `format`. Only that format's module is loaded (the gitlab one loads node:crypto, for one). */
export function report(format: Format, files: readonly LintedFile[]): string {
  switch (format) {
    case 'json':
      return (require('./json') as typeof import('./json')).formatJson(files);
    case 'sarif':
      return (require('./sarif') as typeof import('./sarif')).formatSarif(files, (require('../version') as typeof import('../version')).VERSION);
    case 'github':
      return (require('./github') as typeof import('./github')).formatGithub(files);
    case 'gitlab':
      return (require('./gitlab') as typeof import('./gitlab')).formatGitlab(files);
    case 'junit':
      return (require('./junit') as typeof import('./junit')).formatJunit(files);
    default:
      return (require('./text') as typeof import('./text')).formatText(files);
  }
}
