/**
 * upsert-overwrites-aggregate: an incremental rollup sets `cnt = EXCLUDED.cnt` for a count or sum, so
 * each run replaces the stored total with the count of the latest window only.
 */
import { readUpsert } from '../rollup/upsert';
import type { Rule, RuleFinding } from './rule';

export const rule: Rule = {
  meta: {
    id: 'upsert-overwrites-aggregate',
    summary: 'An incremental rollup assigns EXCLUDED.<col> to a count or sum on conflict, losing what earlier runs counted.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const info = readUpsert(ctx.stmt, ctx.model, ctx.session);
    if (!info || !info.incremental) return [];
    const out: RuleFinding[] = [];
    for (const a of info.assignments) {
      if (a.kind !== 'overwrite' || !a.aggregate || a.aggregate.distinct) continue;
      const fn = a.aggregate.name;
      if (fn !== 'count' && fn !== 'sum') continue;
      const t = info.targetRef;
      const c = a.column;
      const merged = fn === 'count' ? `${t}.${c} + EXCLUDED.${c}` : `COALESCE(${t}.${c} + EXCLUDED.${c}, ${t}.${c}, EXCLUDED.${c})`;
      out.push({
        message: `${c} = EXCLUDED.${c} replaces the stored ${fn}() with this window's ${fn}(): counts from earlier runs are lost.`,
        range: a.range,
        explanation:
          `This INSERT..SELECT aggregates a window of the source (its WHERE bounds the rows), so when a rollup row exists already, ` +
          `EXCLUDED.${c} holds only the new rows' ${fn}(). Add it to the stored value: ${c} = ${merged}.`,
        fix: { title: `Add to the stored ${fn}: ${c} = ${merged}`, edits: [{ range: a.range, newText: merged }] },
      });
    }
    return out;
  },
};
