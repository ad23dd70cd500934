/**
 * rollup-window-without-lag: an incremental rollup whose window ends at now() (or CURRENT_TIMESTAMP...)
 * with no allowance for rows that are still being written: a transaction that started before now()
 * and commits after the rollup ran has rows below the bound the next window starts from.
 */
import { nameList, walk, type PgNode } from '../parse/ast';
import { isCurrentTime, nodeLocation, valueLength } from '../rollup/upsert';
import type { Rule, RuleFinding } from './rule';

const LAG = "now() - interval '1 minute'";

export const rule: Rule = {
  meta: {
    id: 'rollup-window-without-lag',
    summary: 'An incremental rollup aggregates up to now() with no lag, so rows still being written are skipped for good.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const insert = ctx.stmt.ast?.InsertStmt;
    const select = insert?.selectStmt?.SelectStmt;
    if (!insert || !select?.whereClause || !select.groupClause || insert.onConflictClause?.action !== 'ONCONFLICT_UPDATE') return [];
    const uppers: PgNode[] = [];
    let lowerUsesNow = false;
    walk(select.whereClause, (type, fields) => {
      if (type === 'SubLink') return false;
      if (type !== 'A_Expr') return undefined;
      const op = nameList(fields.name)[0];
      if (fields.kind === 'AEXPR_OP') {
        // col < now(), col <= now(), now() > col, now() >= col
        if ((op === '<' || op === '<=') && isCurrentTime(fields.rexpr)) uppers.push(fields.rexpr);
        else if ((op === '>' || op === '>=') && isCurrentTime(fields.lexpr)) uppers.push(fields.lexpr);
        else if ((op === '>' || op === '>=') && mentionsNow(fields.rexpr)) lowerUsesNow = true;
        else if ((op === '<' || op === '<=') && mentionsNow(fields.lexpr)) lowerUsesNow = true;
      } else if (fields.kind === 'AEXPR_BETWEEN') {
        const [lo, hi] = fields.rexpr?.List?.items ?? [];
        if (hi && isCurrentTime(hi)) uppers.push(hi);
        if (lo && mentionsNow(lo)) lowerUsesNow = true;
      }
      return undefined;
    });
    const out: RuleFinding[] = [];
    for (const u of uppers) {
      const start = ctx.stmt.toDocumentOffset(nodeLocation(u) ?? 0);
      const range = { start, end: start + tokenLength(ctx.stmt.text, start - ctx.stmt.start, () => valueLength(ctx.stmt, start)) };
      // a window that also starts from now() (a sliding recompute) would leave a gap if only its end moved
      const fix = lowerUsesNow ? undefined : { title: `End the window a minute ago: ${LAG}`, edits: [{ range, newText: LAG }] };
      out.push({
        message: 'The rollup window ends at the current time with no lag: rows of transactions still in flight fall behind the watermark and are never rolled up.',
        range,
        explanation:
          'now() is the start time of the rollup\'s transaction; rows with an earlier timestamp can still be uncommitted (slow writers, COPY batches) ' +
          'and become visible only after the next window has started past them. End the window slightly in the past, e.g. ' +
          `${LAG}, and start the next run from that bound (rules note §10).`,
        fix,
      });
    }
    return out;
  },
};

/** `now()`, `CURRENT_TIMESTAMP`, `localtimestamp(3)`: the call's own text. */
function tokenLength(text: string, local: number, fallback: () => number): number {
  const m = /^[A-Za-z_]+(\s*\(\s*\d*\s*\))?/.exec(text.slice(local));
  return m ? m[0].length : fallback();
}

function mentionsNow(node: PgNode): boolean {
  let found = false;
  walk(node, (_type, _fields, wrapper) => {
    if (isCurrentTime(wrapper)) found = true;
  });
  return found;
}
