/**
 * Whether a partition's bound takes a row's partition key value, for the errors PostgreSQL raises whatever the data
 * (`no partition of relation .. found for row`, `new row .. violates partition constraint`).
 *
 * A false error costs more than a missed one, so a comparison is made only where its result cannot depend on
 * anything the model does not know: numbers exactly (not `real`, nor a decimal for an integer column); dates and timestamps written as plain `YYYY-MM-DD[ hh:mm[:ss]]`
 * (a `timestamptz` without a zone is read in the session's time zone: only a difference of more than a day counts);
 * booleans and text for equality; text order only between strings of ASCII letters of one case and digits, which
 * every collation orders alike (a database's collation is not known: `'B' < 'a'` in C, not in en_US). Anything
 * else (intervals, enums, other types, infinity, expressions) is "not known", and nothing is said.
 */
import { RANGE_MAX, RANGE_MIN, type PartitionBound } from '../schema/model';
import { parsePgBool } from '../schema/settings';

// (real is left out: PostgreSQL rounds its input to single precision, which a double comparison does not reproduce)
const NUMBER_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'double precision']);
const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);
const TEXT_TYPES = new Set(['text', 'character varying', 'character']);

/** `a` compared with `b` as values of `type` (canonical name): negative, 0, positive, or undefined when not known. */
export function keyCompare(type: string, a: string, b: string): number | undefined {
  if (NUMBER_TYPES.has(type)) {
    const int = /^\s*[+-]?\d+\s*$/;
    if (int.test(a) && int.test(b)) {
      const x = BigInt(a.trim());
      const y = BigInt(b.trim());
      return x < y ? -1 : x > y ? 1 : 0;
    }
    // (a decimal into an integer column is rounded, or refused when quoted: not followed)
    if (INTEGER_TYPES.has(type)) return undefined;
    const num = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
    if (!num.test(a) || !num.test(b)) return undefined;
    const d = Number(a) - Number(b);
    // (doubles cannot tell numerics apart past 15 digits: a tie there is not known)
    return d !== 0 ? d : a.trim() === b.trim() ? 0 : undefined;
  }
  if (type === 'date' || type === 'timestamp without time zone' || type === 'timestamp with time zone') {
    const x = readTime(a, type);
    const y = readTime(b, type);
    if (!x || !y) return undefined;
    const d = x.ms - y.ms;
    // a value without a zone is read in the session's time zone (≤ 16 hours from UTC)
    if (type === 'timestamp with time zone' && (x.naive || y.naive) && Math.abs(d) <= 86_400_000) return undefined;
    return d;
  }
  if (type === 'boolean') {
    const x = parsePgBool(a);
    const y = parsePgBool(b);
    return x === undefined || y === undefined ? undefined : Number(x) - Number(y);
  }
  if (TEXT_TYPES.has(type)) {
    // character(n) ignores trailing spaces
    const [x, y] = type === 'character' ? [a.replace(/ +$/, ''), b.replace(/ +$/, '')] : [a, b];
    if (x === y) return 0;
    const plain = (s: string): boolean => /^[a-z0-9]*$/.test(s) || /^[A-Z0-9]*$/.test(s);
    if (!plain(x) || !plain(y) || (/[a-z]/.test(x + y) && /[A-Z]/.test(x + y))) return undefined;
    return x < y ? -1 : 1;
  }
  return undefined;
}

/**
 * Whether `bound` takes the key `values` (one per partition key column, as text): true, false, or undefined when
 * not known.
 */
export function boundContains(bound: PartitionBound, values: readonly string[], types: readonly string[]): boolean | undefined {
  if (bound.kind === 'default') return true;
  if (bound.kind === 'list') {
    if (values.length !== 1) return undefined;
    let known = true;
    for (const v of bound.values) {
      const c = keyCompare(types[0], values[0], v);
      if (c === 0) return true;
      if (c === undefined) known = false;
    }
    return known ? false : undefined;
  }
  if (bound.from.length !== values.length || bound.to.length !== values.length) return undefined;
  const lower = tupleCompare(values, bound.from, types, 1);
  const upper = tupleCompare(values, bound.to, types, -1);
  // either side alone can exclude the key
  if ((lower !== undefined && lower < 0) || (upper !== undefined && upper >= 0)) return false;
  return lower === undefined || upper === undefined ? undefined : true;
}

/**
 * Row comparison of a key with a range bound, column by column as partition_rbound_datum_cmp does; undefined when
 * not known. A null in the bound is MINVALUE / MAXVALUE or a bound the model did not read: on a one-column key it
 * takes everything on its side (`unbounded`: 1 for the lower bound, -1 for the upper), on several nothing is said.
 */
function tupleCompare(values: readonly string[], bound: readonly (string | null)[], types: readonly string[], unbounded: number): number | undefined {
  for (let i = 0; i < values.length; i++) {
    const b = bound[i];
    // MINVALUE is below every key, MAXVALUE above (partition_rbound_datum_cmp)
    if (b === RANGE_MIN) return 1;
    if (b === RANGE_MAX) return -1;
    if (b === null) return values.length === 1 ? unbounded : undefined;
    const c = keyCompare(types[i], values[i], b);
    if (c === undefined || c !== 0) return c;
  }
  return 0;
}

function readTime(s: string, type: string): { ms: number; naive: boolean } | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  if (type === 'date' && (h !== undefined || zone !== undefined)) return undefined;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0)) + (frac ? Number(frac) * 1000 : 0);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  // a timestamp without time zone ignores a zone written in its literal
  if (zone && type === 'timestamp with time zone') {
    if (zone.toUpperCase() !== 'Z') {
      const z = /([+-])(\d{2}):?(\d{2})?/.exec(zone)!;
      ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60_000;
    }
    return { ms, naive: false };
  }
  return { ms, naive: type === 'timestamp with time zone' };
}
