/**
 * expression-fails-on-rows: an expression PostgreSQL cannot compute whatever the row, so the statement fails as soon
 * as a row reaches it: a unit date_trunc, date_part or EXTRACT does not know (`date_trunc('dayy', created_at)`,
 * `EXTRACT(dayofweek FROM created_at)`: PostgreSQL's unit names are not MySQL's or SQL Server's), a division by a
 * constant zero (`count(*) / 0`). Found by the semantic layer (src/core/semantic/datetimeUnits.ts, index.ts), with
 * PostgreSQL's message; a warning, as a statement that reads no row runs. docs/rules/expression-fails-on-rows.md
 * explains the rule.
 */
import { StatementPositions } from '../planner/text';
import type { Rule } from './rule';

export const rule: Rule = {
  meta: {
    id: 'expression-fails-on-rows',
    summary: 'An expression PostgreSQL cannot compute for any row (a date_trunc, date_part or EXTRACT unit it does not know, a division by a constant zero): the statement fails once a row reaches it.',
    defaultSeverity: 'warning',
    fixable: false,
    citusMessage: 'unit "..." not recognized for type ... / division by zero',
  },
  check(ctx) {
    if (!ctx.rowErrors?.length) return [];
    const pos = new StatementPositions(ctx.stmt);
    return ctx.rowErrors.map((e) => ({
      message: `${e.message}: PostgreSQL fails the statement on the first row this is computed for (a statement that reads no row runs). ${e.advice}`,
      range: pos.nodeRange(e.node, e.location),
      citus: { level: 'ERROR' as const, message: e.message },
    }));
  },
};
