/**
 * non-mergeable-aggregate-upsert: avg, count(DISTINCT), percentiles, string_agg, stddev ... stored in
 * a rollup and merged on conflict (or overwritten by an incremental rollup): no expression of the
 * stored value and the new value gives the right answer.
 */
import { DISTINCT_ADVICE, NON_MERGEABLE_AGGREGATES } from '../rollup/measures';
import { readUpsert } from '../rollup/upsert';
import type { Rule, RuleFinding } from './rule';

export const rule: Rule = {
  meta: {
    id: 'non-mergeable-aggregate-upsert',
    summary: 'An aggregate that cannot be merged (avg, count(DISTINCT), percentile, string_agg, stddev...) is upserted into a rollup.',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(ctx) {
    const info = readUpsert(ctx.stmt, ctx.model, ctx.session);
    if (!info) return [];
    const out: RuleFinding[] = [];
    for (const a of info.assignments) {
      const agg = a.aggregate;
      if (!agg) continue;
      const advice = agg.distinct ? DISTINCT_ADVICE : NON_MERGEABLE_AGGREGATES[agg.name];
      if (!advice) continue;
      // a full recompute that overwrites is correct: only merges and windows are wrong
      if (a.kind === 'overwrite' && !info.incremental) continue;
      if (a.kind !== 'overwrite' && !a.readsStored) continue;
      const what = agg.distinct ? `${agg.name}(DISTINCT ...)` : `${agg.name}()`;
      const how = a.kind === 'overwrite' ? `is overwritten by each window's ${what}` : `is merged with the stored value, but ${what} of two windows cannot be computed from their two results`;
      out.push({
        message: `${a.column} holds ${what}, which ${how}.`,
        range: a.range,
        explanation: `${what} is not mergeable: ${advice}.`,
      });
    }
    return out;
  },
};
