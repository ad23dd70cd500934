/**
 * The rule registry. Adding a rule: see CONTRIBUTING.md.
 */
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [];
