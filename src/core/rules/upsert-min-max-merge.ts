/**
 * upsert-min-max-merge: a min() or max() rollup column merged on conflict by addition (always wrong)
 * or, in an incremental rollup, by assignment (forgets earlier windows), or with the wrong one of
 * LEAST / GREATEST.
 */
import { MIN_MAX_AGGREGATES } from '../rollup/measures';
import { readUpsert } from '../rollup/upsert';
import type { Rule, RuleFinding } from './rule';

export const rule: Rule = {
  meta: {
    id: 'upsert-min-max-merge',
    summary: 'A min()/max() rollup column is merged on conflict by addition or assignment instead of LEAST/GREATEST.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const info = readUpsert(ctx.stmt, ctx.model, ctx.session);
    if (!info) return [];
    const out: RuleFinding[] = [];
    for (const a of info.assignments) {
      const fn = a.aggregate?.name;
      if (!fn || !(fn in MIN_MAX_AGGREGATES) || a.aggregate?.distinct) continue;
      const want = MIN_MAX_AGGREGATES[fn];
      const c = a.column;
      const merged = `${want}(${info.targetRef}.${c}, EXCLUDED.${c})`;
      let problem: string | undefined;
      if (a.kind === 'add') problem = `adds two ${fn}() values: the sum of two ${fn === 'min' ? 'minimums' : 'maximums'} is neither`;
      else if (a.kind === 'overwrite' && info.incremental) problem = `keeps only this window's ${fn}(), forgetting the ${fn === 'min' ? 'smaller' : 'larger'} values of earlier runs`;
      else if ((a.kind === 'least' && want === 'GREATEST') || (a.kind === 'greatest' && want === 'LEAST')) problem = `merges a ${fn}() with ${a.kind === 'least' ? 'LEAST' : 'GREATEST'}, which keeps the wrong end`;
      if (!problem) continue;
      out.push({
        message: `${c} is a ${fn}(); this ON CONFLICT merge ${problem}. Use ${merged}.`,
        range: a.range,
        explanation:
          `The stored ${c} is the ${fn}() of the rows rolled up so far and EXCLUDED.${c} the ${fn}() of the new rows; ` +
          `the ${fn}() of both is ${merged} (${want} ignores NULLs, so a window without values keeps the stored one).`,
        fix: { title: `Merge with ${want}: ${c} = ${merged}`, edits: [{ range: a.range, newText: merged }] },
      });
    }
    return out;
  },
};
