/**
 * The input functions of the common built-in types, for string literals that PostgreSQL converts at parse
 * time (`'abc'::int`, `DATE 'x'`, `WHERE id = 'x'`, `INSERT ... SELECT 'x'` into an integer column). Each check
 * is strict only where PostgreSQL's own input function is simple (integers, numeric, floats, boolean, uuid,
 * json, the range of floats); date/time input is accepted unless it cannot be a date at all or a field of a plain
 * ISO date or time of day is out of range. Returns PostgreSQL's message, or
 * undefined when the text is accepted (or the type is not checked here).
 */
import { T, builtins, type TypeId } from './catalog';

const INT_RANGES: Record<number, [bigint, bigint]> = {
  [T.INT2]: [-32768n, 32767n],
  [T.INT4]: [-2147483648n, 2147483647n],
  [T.INT8]: [-9223372036854775808n, 9223372036854775807n],
};

const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const NUMERIC_SPECIAL = /^\s*[+-]?(nan|inf|infinity)\s*$/i;
const INTERVAL_UNITS = /\b(hours?|minutes?|seconds?|days?|weeks?|months?|years?|decades?|ago)\b/;
/** `\u0000` in JSON text as an escape: its backslash is not itself escaped (an even number of backslashes before it). */
const JSON_NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;
const DATETIME_SPECIAL = new Set(['epoch', 'infinity', '-infinity', '+infinity', 'now', 'today', 'tomorrow', 'yesterday', 'allballs']);

/** What PostgreSQL's input function says of a literal: its message, and a hint for some. */
export interface LiteralProblem {
  message: string;
  hint?: string;
  detail?: string;
}

export function literalInputProblem(type: TypeId, text: string): LiteralProblem | undefined {
  const p = inputProblem(type, text);
  return typeof p === 'string' ? { message: p } : p;
}

function inputProblem(type: TypeId, text: string): string | LiteralProblem | undefined {
  const name = (): string => builtins().display(type);
  const invalid = (): string => `invalid input syntax for type ${name()}: "${text}"`;
  switch (type) {
    case T.INT2:
    case T.INT4:
    case T.INT8: {
      const m = /^\s*([+-]?\d+)\s*$/.exec(text);
      if (!m) return invalid();
      const v = BigInt(m[1]);
      const [lo, hi] = INT_RANGES[type];
      return v < lo || v > hi ? `value "${text}" is out of range for type ${name()}` : undefined;
    }
    case T.NUMERIC:
      return NUMERIC.test(text) || NUMERIC_SPECIAL.test(text) ? undefined : invalid();
    case T.FLOAT4:
    case T.FLOAT8:
      if (NUMERIC_SPECIAL.test(text)) return undefined;
      if (!NUMERIC.test(text)) return invalid();
      // (PostgreSQL names the number without the white space around it)
      return floatInRange(text, type === T.FLOAT4) ? undefined : `"${text.trim()}" is out of range for type ${name()}`;
    case T.BOOL:
      return isBool(text) ? undefined : invalid();
    case T.UUID:
      return isUuid(text) ? undefined : invalid();
    case T.JSON:
    case T.JSONB:
      try {
        JSON.parse(text);
        // (a \u0000 escape, not an escaped backslash followed by `u0000`)
        return type === T.JSONB && JSON_NUL_ESCAPE.test(text) ? 'unsupported Unicode escape sequence' : undefined;
      } catch {
        return `invalid input syntax for type json`;
      }
    case T.DATE:
    case T.TIMESTAMP:
    case T.TIMESTAMPTZ: {
      const t = text.trim().toLowerCase();
      if (t === '') return invalid();
      // without a digit, only the special words (and names of months/days/zones, which need digits to form a date);
      // an interval's units ('1 hour', '2 days ago') are no date either
      if (INTERVAL_UNITS.test(t)) return invalid();
      // (a special word may come with a zone, 'tomorrow EST')
      if (!/\d/.test(t) && !t.split(/[\s,]+/).some((w) => DATETIME_SPECIAL.has(w))) return invalid();
      return isoDateTimeRangeError(text);
    }
    case T.INTERVAL:
      return intervalWordsValid(text) ? undefined : invalid();
    case T.TIME:
    case T.TIMETZ:
      return isoDateTimeRangeError(text) ?? timeRangeError(text);
    default: {
      // array_in(): after white space, dimension information (`[1:2]=`) or a brace; only the start is judged here
      const info = builtins().type(type);
      if (info?.category !== 'A' || !info.typname.startsWith('_')) return undefined;
      const first = /^[ \t\n\r\v\f]*(.?)/.exec(text)![1];
      return first === '{' || first === '[' ? undefined : { message: `malformed array literal: "${text}"`, detail: 'Array value must start with "{" or dimension information.' };
    }
  }
}

/**
 * interval_in() (DecodeInterval, PostgreSQL 15-17): every word of the text is a unit of deltatktbl ('1 day', '2
 * hours ago', '@ 3 mins'), compared on its first 10 letters as PostgreSQL does (TOKMAXLEN). Only words made of letters
 * are judged (numbers, times, signs and ISO 8601 forms are left to PostgreSQL); 'quarter' is a unit DecodeInterval
 * refuses (checked on PostgreSQL 15), 'infinity' is accepted (PostgreSQL 17
 * has it). An empty text has no interval.
 */
const INTERVAL_WORDS = new Set(
  [
    'ago', 'c', 'cent', 'centuries', 'century', 'd', 'day', 'days', 'dec', 'decade', 'decades', 'decs', 'h', 'hour', 'hours', 'hr', 'hrs',
    'm', 'microsecon', 'mil', 'millennia', 'millennium', 'millisecon', 'mils', 'min', 'mins', 'minute', 'minutes', 'mon', 'mons', 'month',
    'months', 'ms', 'msec', 'msecs', 'mseconds', 's', 'sec', 'second', 'seconds', 'secs', 'timezone', 'timezone_h',
    'timezone_m', 'us', 'usec', 'usecs', 'useconds', 'w', 'week', 'weeks', 'y', 'year', 'years', 'yr', 'yrs', 'infinity',
  ].map((w) => w.slice(0, 10)),
);

function intervalWordsValid(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === '') return false;
  // ISO 8601 ('P1Y2M', 'PT5M') and SQL-standard forms are PostgreSQL's to judge
  if (t.startsWith('p')) return true;
  for (const word of t.split(/[\s,]+/)) {
    const w = word.replace(/^[+-]/, '');
    if (!/^[a-z]+$/.test(w)) continue;
    if (!INTERVAL_WORDS.has(w.slice(0, 10))) return false;
  }
  return true;
}

/**
 * An ISO date or timestamp (`YYYY-MM-DD`, optionally a time after a space or `T`, and `Z` / `+hh[:mm]` / UTC) whose
 * fields are out of range, as DecodeDateTime and ValidateDate find it whatever the DateStyle: a month or day outside
 * 1..12 / 1..31 (PostgreSQL adds a hint about DateStyle then), a day past the month's end (`2023-02-29`, `2023-04-31`),
 * year 0, an hour past 24:00, a minute past 59, a second past 60. Other forms are left to PostgreSQL.
 */
const ISO_DATETIME = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:\s+|t)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?\s*(?:z|utc|gmt|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i;
const DATESTYLE_HINT = 'Perhaps you need a different "datestyle" setting.';

function isoDateTimeRangeError(text: string): LiteralProblem | undefined {
  const m = ISO_DATETIME.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const message = `date/time field value out of range: "${text}"`;
  if (month < 1 || month > 12 || day < 1 || day > 31) return { message, hint: DATESTYLE_HINT };
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year === 0 || day > days) return { message };
  if (m[4] !== undefined) {
    const [h, min, sec] = [Number(m[4]), Number(m[5]), m[6] === undefined ? 0 : Number(m[6])];
    if (min > 59 || sec > 60 || h > 24 || (h === 24 && (min > 0 || sec > 0))) return { message };
  }
  return undefined;
}

/**
 * float8in() / float4in(): strtod() / strtof() of the text, out of range when the value rounds to infinity, or to
 * zero from digits that are not all zero (a denormal number is accepted). JavaScript's Number() rounds as strtod()
 * does, and Math.fround() then as a float.
 */
function floatInRange(text: string, float4: boolean): boolean {
  const v = float4 ? Math.fround(Number(text)) : Number(text);
  if (!Number.isFinite(v)) return false;
  return v !== 0 || !/[1-9]/.test(text.replace(/[eE].*$/, ''));
}

/**
 * time_in() / timetz_in() (DecodeTimeOnly, ValidateTime) of `hh:mm[:ss[.frac]]`, with AM/PM or a numeric zone: an
 * hour past 24 (past 12 with AM/PM), past 24:00:00, a minute past 59 or a second past 60 is out of range. Other forms
 * are left to PostgreSQL.
 */
const TIME_OF_DAY = /^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(\.\d*)?)?\s*(am|pm)?\s*(?:z|utc|gmt|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i;

function timeRangeError(text: string): LiteralProblem | undefined {
  const m = TIME_OF_DAY.exec(text);
  if (!m) return undefined;
  const [h, min, sec] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
  const fraction = m[4] !== undefined && /[1-9]/.test(m[4]);
  const out = min > 59 || sec > 60 || h > 24 || (h === 24 && (min > 0 || sec > 0 || fraction)) || (m[5] !== undefined && h > 12);
  return out ? { message: `date/time field value out of range: "${text}"` } : undefined;
}

/** boolin(): parse_bool_with_len() after trimming: a word or a unique prefix of it ("o" is not unique). */
function isBool(text: string): boolean {
  const t = text.trim().toLowerCase();
  switch (t[0]) {
    case 't':
      return 'true'.startsWith(t);
    case 'f':
      return 'false'.startsWith(t);
    case 'y':
      return 'yes'.startsWith(t);
    case 'n':
      return 'no'.startsWith(t);
    case 'o':
      return t.length >= 2 && ('on'.startsWith(t) || 'off'.startsWith(t));
    case '1':
    case '0':
      return t.length === 1;
    default:
      return false;
  }
}

/** uuid_in(): 32 hex digits, optionally in braces, with an optional hyphen after any group of four. */
function isUuid(text: string): boolean {
  let s = text;
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) return false;
    s = s.slice(1, -1);
  }
  return /^[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7}$/.test(s);
}
