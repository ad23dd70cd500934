/**
 * `CURRENT_DATE`, `now()` and their kin as a partition key's value: the time the statement runs. The core is pure,
 * so the date is the caller's (AnalyzeOptions.today, the UTC date the CLI or the server runs on); without one,
 * nothing is said about them.
 *
 * The session's time zone is not known (`CURRENT_DATE` is the date there, `now()::date` too, a `timestamp` column
 * takes the local time): a value is claimed outside every partition only when the whole day before, of and after
 * `today` is (planner/dml.ts, with planner/partitionBounds.ts comparing each candidate exactly or not at all).
 */
import { nameList, type PgNode } from '../parse/ast';

const NOW_FUNCTIONS = new Set(['now', 'transaction_timestamp', 'statement_timestamp', 'clock_timestamp']);
const TIME_SVF = new Set(['SVFOP_CURRENT_DATE', 'SVFOP_CURRENT_TIMESTAMP', 'SVFOP_CURRENT_TIMESTAMP_N', 'SVFOP_LOCALTIMESTAMP', 'SVFOP_LOCALTIMESTAMP_N']);
const TIME_CASTS = new Set(['date', 'timestamp', 'timestamptz']);
const TIME_DEFAULT = /^\s*\(?\s*(now\(\)|current_date|current_timestamp(\(\d\))?|localtimestamp(\(\d\))?|transaction_timestamp\(\)|statement_timestamp\(\)|clock_timestamp\(\))\s*\)?\s*(::\s*(date|timestamp(tz)?|timestamp with(out)? time zone))?\s*$/i;

/** The expression is the current date or time, as written (optionally cast to a date or timestamp type). */
export function isCurrentTime(node: PgNode | undefined): boolean {
  let n = node;
  for (let depth = 0; n?.TypeCast && depth < 4; depth++) {
    const names = nameList(n.TypeCast.typeName?.names);
    if (!TIME_CASTS.has(names[names.length - 1]) || n.TypeCast.typeName?.arrayBounds?.length) return false;
    n = n.TypeCast.arg;
  }
  if (n?.SQLValueFunction) return TIME_SVF.has(n.SQLValueFunction.op);
  const f = n?.FuncCall;
  if (!f || f.args?.length || f.over || f.agg_star) return false;
  const name = nameList(f.funcname);
  return NOW_FUNCTIONS.has(name[name.length - 1]) && (name.length === 1 || name[0] === 'pg_catalog');
}

/** A column default that is the current date or time (`DEFAULT now()`, `DEFAULT CURRENT_DATE`). */
export function isCurrentTimeDefault(defaultText: string | undefined): boolean {
  return !!defaultText && TIME_DEFAULT.test(defaultText);
}

/**
 * The key values a current-time expression can take on `today` (`YYYY-MM-DD`, UTC) in a column of `type`, in any
 * session time zone: the day before, of and after, at their first and last second for a timestamp. Undefined for a
 * type other than a date or timestamp.
 */
export function currentTimeCandidates(today: string, type: string): string[] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m) return undefined;
  const days = [-1, 0, 1].map((d) => new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + d)).toISOString().slice(0, 10));
  if (type === 'date') return days;
  if (type === 'timestamp without time zone' || type === 'timestamp with time zone') return days.flatMap((d) => [`${d} 00:00:00`, `${d} 23:59:59`]);
  return undefined;
}

/** Today's date in UTC, as AnalyzeOptions.today takes it (for the shells). */
export function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}
