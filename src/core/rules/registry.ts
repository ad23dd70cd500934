/**
 * Every rule id the analysis can report, with its metadata: the registered rules plus the built-in
 * `syntax-error` (reported by the parser, not by a check). Reporters, the server and the docs meta-test
 * read this list.
 */
import { RULES } from './index';
import type { RuleMeta } from './rule';

export const SYNTAX_ERROR: RuleMeta = {
  id: 'syntax-error',
  summary: 'The statement does not parse with the PostgreSQL grammar; the rest of the file is still analysed.',
  defaultSeverity: 'error',
  fixable: false,
};

/** An exception inside the analysis of one statement (a bug of ours): reported, contained, never fatal. */
export const INTERNAL_ERROR: RuleMeta = {
  id: 'internal-error',
  summary: 'Citus Rollups could not analyse the statement (a bug of ours): please report it; the rest of the file is still analysed.',
  defaultSeverity: 'warning',
  fixable: false,
};

export const ALL_RULE_METAS: readonly RuleMeta[] = [SYNTAX_ERROR, INTERNAL_ERROR, ...RULES.map((r) => r.meta)];

export function ruleMeta(id: string): RuleMeta | undefined {
  return ALL_RULE_METAS.find((m) => m.id === id);
}
