/**
 * The unit names `date_trunc`, `date_part` and `EXTRACT` take (`date_trunc('day', ..)`, `EXTRACT(dow FROM ..)`), as
 * PostgreSQL 15 reads them (src/backend/utils/adt/timestamp.c, date.c, datetime.c): the name is lower-cased, then
 * looked up in the table of interval units (DecodeUnits, deltatktbl) and, for date_part and EXTRACT only, in the table
 * of date keywords (DecodeSpecial, datetktbl). A name found in neither fails with `unit "x" not recognized for type
 * ..` whenever the call is computed: for every row of a table it is computed for (the units of a timestamp column
 * are not known until a row is read), or when the statement is planned if every argument is a constant.
 *
 * Only "not recognized" is said. A name PostgreSQL finds but refuses for the type (`unit "week" not supported for
 * type interval`, `date_trunc('timezone', ..)`) is left alone, and the tables below hold every name of both lookup
 * tables of any kind a unit may have (and the names older PostgreSQL versions had, `current`, `invalid`,
 * `undefined`): a name in them is never reported. test/db/semantic.test.ts checks each against a real PostgreSQL.
 */
import { T, type TypeId } from './catalog';

/** What a finding of an unknown unit advises. */
export const UNIT_ADVICE =
  "Use one of PostgreSQL's units: microseconds, milliseconds, second, minute, hour, day, week, month, quarter, year, decade, century, millennium; EXTRACT and date_part also take dow, isodow, doy, epoch, isoyear, julian";

/** datetktbl / deltatktbl compare at most this many characters (TOKMAXLEN): `microseconds` is `microsecon` */
const TOKMAXLEN = 10;

/** deltatktbl's UNITS names (the units of date_trunc, and the first lookup of date_part and EXTRACT) */
export const INTERVAL_UNITS: readonly string[] = [
  'c', 'cent', 'centuries', 'century', 'd', 'day', 'days', 'dec', 'decade', 'decades', 'decs', 'h', 'hour', 'hours', 'hr',
  'hrs', 'm', 'microsecon', 'mil', 'millennia', 'millennium', 'millisecon', 'mils', 'min', 'mins', 'minute', 'minutes',
  'mon', 'mons', 'month', 'months', 'ms', 'msec', 'msecond', 'mseconds', 'msecs', 'qtr', 'quarter', 's', 'sec', 'second',
  'seconds', 'secs', 'timezone', 'timezone_h', 'timezone_m', 'us', 'usec', 'usecond', 'useconds', 'usecs', 'w', 'week',
  'weeks', 'y', 'year', 'years', 'yr', 'yrs',
];

/**
 * datetktbl's names that date_part and EXTRACT take past the first lookup (its UNITS and RESERV entries: `epoch`,
 * `dow`, `julian`, ...), with the names PostgreSQL's older versions had there; a month or weekday name is not one
 */
export const DATE_KEYWORD_UNITS: readonly string[] = [
  '-infinity', 'allballs', 'current', 'd', 'dow', 'doy', 'epoch', 'h', 'infinity', 'invalid', 'isodow', 'isoyear', 'j',
  'jd', 'julian', 'm', 'mm', 'now', 's', 'today', 'tomorrow', 'undefined', 'y', 'yesterday', 'z', 'zulu',
];

const TRUNC_UNITS = new Set(INTERVAL_UNITS);
const PART_UNITS = new Set([...INTERVAL_UNITS, ...DATE_KEYWORD_UNITS]);

/** The type PostgreSQL names in the message: the source argument's, as the function it calls declares it. */
function typeShown(fn: string, source: TypeId): string | undefined {
  switch (source) {
    case T.TIMESTAMP:
      return 'timestamp without time zone';
    case T.TIMESTAMPTZ:
      return 'timestamp with time zone';
    case T.INTERVAL:
      return 'interval';
    case T.TIME:
      return 'time without time zone';
    case T.TIMETZ:
      return 'time with time zone';
    case T.DATE:
      // EXTRACT(.. FROM date) has its own function (extract_date); date_part(text, date) is an SQL function that calls
      // date_part(text, timestamp)
      return fn === 'extract' ? 'date' : fn === 'date_part' ? 'timestamp without time zone' : undefined;
    default:
      return undefined;
  }
}

/**
 * PostgreSQL's error for a constant unit of `date_trunc`, `date_part` or `extract` (`fn`, a built-in resolved for its
 * declared argument types `declared`) that it does not recognize; undefined when it does, or when unsure.
 */
export function datetimeUnitError(fn: string, declared: readonly TypeId[], unit: string): string | undefined {
  if (fn !== 'date_trunc' && fn !== 'date_part' && fn !== 'extract') return undefined;
  if (declared[0] !== T.TEXT || declared.length < 2) return undefined;
  const shown = typeShown(fn, declared[1]);
  // (downcase_truncate_identifier lower-cases ASCII letters only; a name with others is left alone)
  if (!shown || !/^[\x20-\x7e]*$/.test(unit)) return undefined;
  const lower = unit.toLowerCase();
  const key = lower.length > TOKMAXLEN ? lower.slice(0, TOKMAXLEN) : lower;
  // (a longer name matches only a table name of TOKMAXLEN characters, by its first TOKMAXLEN: `microseconds`)
  const units = fn === 'date_trunc' ? TRUNC_UNITS : PART_UNITS;
  if (units.has(key)) return undefined;
  return `unit "${lower}" not recognized for type ${shown}`;
}
