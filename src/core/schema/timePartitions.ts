/**
 * The partitions Citus' create_time_partitions makes (its get_missing_time_partition_ranges, Citus 13.2's
 * sql/udfs/get_missing_time_partition_ranges/latest.sql), and the ones drop_old_time_partitions drops, computed
 * offline: the first partition's start (the earliest existing partition stepped by the interval, else `start_from`
 * truncated by the interval's size), the partitions up to `end_at` that do not exist yet, their names (pg_partman's
 * scheme: `<table>_p2024_01`, `_p2024_01_15`, `_p2024q1`, `_p2024w03`, ..) and bounds.
 *
 * Times are wall-clock times of the session's time zone, kept as milliseconds of a UTC calendar (the model does not
 * know the zone, and PostgreSQL truncates and names in it). `now()` and `current_date` are "today" (AnalyzeOptions.today,
 * UTC) in a zone up to a day away: the partitions are computed for the earliest and the latest such moment, and only
 * the ones both make are kept, with `sure` false when they differ (the caller then treats the partitions as
 * incomplete, so no row is said to find no partition).
 */
import { stripCast, type PgNode } from '../parse/ast';

export interface Interval {
  months: number;
  days: number;
  ms: number;
}

/** What an argument of the call stands for: a fixed wall-clock time, or now() plus an interval. */
export type TimeArg = { kind: 'fixed'; ms: number } | { kind: 'now'; plus: Interval };

export interface TimePartition {
  name: string;
  from: string;
  to: string;
}

const DAY = 86_400_000;
const UNITS = new Map<string, Interval>(
  Object.entries({
    second: { months: 0, days: 0, ms: 1000 },
    sec: { months: 0, days: 0, ms: 1000 },
    minute: { months: 0, days: 0, ms: 60_000 },
    min: { months: 0, days: 0, ms: 60_000 },
    hour: { months: 0, days: 0, ms: 3_600_000 },
    hr: { months: 0, days: 0, ms: 3_600_000 },
    day: { months: 0, days: 1, ms: 0 },
    week: { months: 0, days: 7, ms: 0 },
    month: { months: 1, days: 0, ms: 0 },
    mon: { months: 1, days: 0, ms: 0 },
    year: { months: 12, days: 0, ms: 0 },
    yr: { months: 12, days: 0, ms: 0 },
  }),
);

/** `'1 month'`, `'7 days'`, `'2 weeks 3 days'` (PostgreSQL's interval input, the common forms only); undefined otherwise. */
export function parseInterval(text: string): Interval | undefined {
  const parts = text.trim().toLowerCase().replace(/^@\s*/, '');
  if (!parts) return undefined;
  const re = /\s*([+-]?\d+)\s*([a-z]+)\s*/y;
  const out: Interval = { months: 0, days: 0, ms: 0 };
  let at = 0;
  while (at < parts.length) {
    re.lastIndex = at;
    const m = re.exec(parts);
    if (!m) return undefined;
    const unit = UNITS.get(m[2].replace(/s$/, '')) ?? UNITS.get(m[2]);
    if (!unit) return undefined;
    const n = Number(m[1]);
    out.months += n * unit.months;
    out.days += n * unit.days;
    out.ms += n * unit.ms;
    at = re.lastIndex;
  }
  return out;
}

/** interval_cmp's key: months as 30 days. */
function span(i: Interval): number {
  return i.months * 30 * DAY + i.days * DAY + i.ms;
}

const HOUR = span({ months: 0, days: 0, ms: 3_600_000 });
const ONE_DAY = span({ months: 0, days: 1, ms: 0 });
const WEEK = span({ months: 0, days: 7, ms: 0 });
const MONTH = span({ months: 1, days: 0, ms: 0 });
const QUARTER = span({ months: 3, days: 0, ms: 0 });
const YEAR = span({ months: 12, days: 0, ms: 0 });
const MINUTE = 60_000;

/** `YYYY-MM-DD[ hh:mm[:ss]]` without a zone, as wall-clock milliseconds; undefined otherwise. */
export function parseWallClock(text: string): number | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  const d = new Date(ms);
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1 ? ms : undefined;
}

/** timestamp + interval as PostgreSQL adds them: months (the day clamped to the month's last), then days, then time. */
function addInterval(ms: number, i: Interval, sign = 1): number {
  const d = new Date(ms);
  let out = ms;
  if (i.months) {
    const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + sign * i.months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    out = Date.UTC(year, month, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  }
  return out + sign * (i.days * DAY + i.ms);
}

function truncate(ms: number, unit: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year'): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  switch (unit) {
    case 'minute':
      return ms - (ms % MINUTE);
    case 'hour':
      return Date.UTC(y, mo, d.getUTCDate(), d.getUTCHours());
    case 'day':
      return Date.UTC(y, mo, d.getUTCDate());
    case 'week': {
      // (ISO weeks start on Monday)
      const day = Date.UTC(y, mo, d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * DAY;
    }
    case 'month':
      return Date.UTC(y, mo, 1);
    case 'quarter':
      return Date.UTC(y, mo - (mo % 3), 1);
    case 'year':
      return Date.UTC(y, 0, 1);
  }
}

/** The truncation get_missing_time_partition_ranges gives `from_value` when the table has no partition. */
function initialStart(from: number, i: Interval): number {
  const s = span(i);
  if (s < HOUR) return truncate(from, 'minute');
  if (s < ONE_DAY) return truncate(from, 'hour');
  if (s < WEEK) return truncate(from, 'day');
  if (s < MONTH) return truncate(from, 'week');
  if (s === QUARTER) return truncate(from, 'quarter');
  if (s < YEAR) return truncate(from, 'month');
  return truncate(from, 'year');
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO 8601 year and week of a day (to_char's IYYY and IW). */
function isoWeek(ms: number): { year: number; week: number } {
  const d = new Date(truncate(ms, 'day'));
  const thursday = d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return { year, week };
}

/** The partition name's suffix: to_char(from, the format the interval picks). */
function nameSuffix(ms: number, i: Interval): string {
  const d = new Date(ms);
  const s = span(i);
  if (s === QUARTER) return `${pad(d.getUTCFullYear(), 4)}q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  if (s === WEEK) {
    const w = isoWeek(ms);
    return `${pad(w.year, 4)}w${pad(w.week)}`;
  }
  let out = pad(d.getUTCFullYear(), 4);
  if (s < YEAR) out += `_${pad(d.getUTCMonth() + 1)}`;
  if (s < MONTH) out += `_${pad(d.getUTCDate())}`;
  if (s < ONE_DAY) out += `_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
  if (s < MINUTE) out += pad(d.getUTCSeconds());
  return out;
}

/** A bound as the partition column's type prints it (a timestamptz without its zone: the session's). */
function boundText(ms: number, type: string): string {
  const d = new Date(ms);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return type === 'date' ? date : `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The name's prefix: the table's, cut so that the whole name fits 63 bytes (`substring(name, 0, 63 - len - 1)`). */
function partitionName(table: string, suffix: string): string {
  return `${table.slice(0, Math.max(0, 61 - suffix.length))}_p${suffix}`;
}

/**
 * get_missing_time_partition_ranges for one `from_value` and `to_value`: the partitions to create, or `misaligned`
 * (an existing partition overlaps a range: Citus refuses), or undefined when the existing partitions' bounds are not
 * plain times.
 */
function missing(table: string, type: string, existing: readonly { from: number; to: number }[], i: Interval, from: number, to: number): TimePartition[] | 'misaligned' | undefined {
  if (span(i) <= 0) return undefined;
  let cur: number;
  const pivot = [...existing].sort((a, b) => a.from - b.from)[0];
  if (!pivot) cur = initialStart(from, i);
  else {
    cur = pivot.from;
    let guard = 0;
    if (from >= cur) while (cur < from && guard++ < 100_000) cur = addInterval(cur, i);
    else while (cur > from && guard++ < 100_000) cur = addInterval(cur, i, -1);
    if (guard >= 100_000) return undefined;
  }
  let next = addInterval(cur, i);
  const out: TimePartition[] = [];
  while (cur < to) {
    const c = cur;
    const n = next;
    if (!existing.some((p) => p.from === c && p.to === n)) {
      if (existing.some((p) => (c >= p.from && c < p.to) || (n > p.from && n < p.to))) return 'misaligned';
      out.push({ name: partitionName(table, nameSuffix(c, i)), from: boundText(c, type), to: boundText(n, type) });
      if (out.length > 5000) return undefined;
    }
    cur = next;
    next = addInterval(next, i);
  }
  return out;
}

/** The moments now() may be, as wall-clock times: from the day before `today` (UTC) to the end of the day after. */
function nowRange(today: string): [number, number] | undefined {
  const day = parseWallClock(today);
  return day === undefined ? undefined : [day - DAY, day + 2 * DAY - 1000];
}

/** The earliest time an argument may stand for (now() a day before `today`, UTC); undefined without a date for now(). */
export function earliestTime(arg: TimeArg, today: string | undefined): number | undefined {
  if (arg.kind === 'fixed') return arg.ms;
  const range = today ? nowRange(today) : undefined;
  return range ? at(arg, range[0]) : undefined;
}

function at(arg: TimeArg, now: number): number {
  return arg.kind === 'fixed' ? arg.ms : addInterval(now, arg.plus);
}

/**
 * The partitions create_time_partitions makes: `sure` when they do not depend on the session's time zone (no now(),
 * or a now() every zone truncates alike). Undefined when the model cannot tell (an argument it cannot read, a bound
 * of an existing partition that is no plain time, a misaligned partition Citus refuses, start_from >= end_at).
 */
export function timePartitionsToCreate(
  table: string,
  type: string,
  existing: readonly { from: string; to: string }[],
  interval: Interval,
  endAt: TimeArg,
  startFrom: TimeArg,
  today: string | undefined,
): { partitions: TimePartition[]; sure: boolean } | undefined {
  if (type !== 'date' && type !== 'timestamp without time zone' && type !== 'timestamp with time zone') return undefined;
  // (a date column takes whole days only)
  if (type === 'date' && interval.ms !== 0) return undefined;
  const bounds: { from: number; to: number }[] = [];
  for (const p of existing) {
    const from = parseWallClock(p.from);
    const to = parseWallClock(p.to);
    if (from === undefined || to === undefined) return undefined;
    bounds.push({ from, to });
  }
  const usesNow = endAt.kind === 'now' || startFrom.kind === 'now';
  const moments = usesNow ? (today ? nowRange(today) : undefined) : [0];
  if (!moments) return undefined;
  const sets: TimePartition[][] = [];
  for (const now of moments) {
    const from = at(startFrom, now);
    const to = at(endAt, now);
    if (from >= to) return undefined;
    const r = missing(table, type, bounds, interval, from, to);
    if (!r || r === 'misaligned') return undefined;
    sets.push(r);
  }
  const key = (p: TimePartition): string => `${p.name}|${p.from}|${p.to}`;
  const later = new Set(sets[sets.length - 1].map(key));
  const common = sets[0].filter((p) => later.has(key(p)));
  return { partitions: common, sure: sets.every((s) => s.length === common.length) };
}

/** An argument of the call as a time: a constant, now() / current_date / CURRENT_TIMESTAMP, either plus or minus an interval. */
export function timeArg(node: PgNode | undefined): TimeArg | undefined {
  if (!node) return undefined;
  const s = constantString(node);
  if (s !== undefined) {
    const ms = parseWallClock(s);
    return ms === undefined ? undefined : { kind: 'fixed', ms };
  }
  if (isNow(node)) return { kind: 'now', plus: { months: 0, days: 0, ms: 0 } };
  const e = node.A_Expr;
  const op = e?.kind === 'AEXPR_OP' ? e.name?.map((n: PgNode) => n.String?.sval).join('') : undefined;
  if ((op === '+' || op === '-') && isNow(e.lexpr)) {
    const text = constantString(e.rexpr);
    const i = text === undefined ? undefined : parseInterval(text);
    if (!i) return undefined;
    const sign = op === '-' ? -1 : 1;
    return { kind: 'now', plus: { months: sign * i.months, days: sign * i.days, ms: sign * i.ms } };
  }
  return undefined;
}

/** The string of a literal (`'x'`, `'x'::timestamptz`, `interval 'x'`). */
function constantString(node: PgNode | undefined): string | undefined {
  const c = stripCast(node)?.A_Const;
  return typeof c?.sval?.sval === 'string' ? c.sval.sval : undefined;
}

function isNow(node: PgNode | undefined): boolean {
  const n = stripCast(node);
  if (n?.SQLValueFunction) return ['SVFOP_CURRENT_DATE', 'SVFOP_CURRENT_TIMESTAMP', 'SVFOP_LOCALTIMESTAMP'].includes(n.SQLValueFunction.op);
  const f = n?.FuncCall;
  if (!f || f.args?.length) return false;
  const name = f.funcname?.map((x: PgNode) => x.String?.sval).pop();
  return name === 'now' || name === 'transaction_timestamp' || name === 'statement_timestamp';
}
