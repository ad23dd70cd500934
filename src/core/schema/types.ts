/**
 * Canonical type names, as PostgreSQL's format_type prints them, so that DDL (`int4`, `serial`,
 * `varchar(20)`), snapshots and the cluster's catalogs agree. Used to compare distribution columns
 * (colocation needs the same type) and to detect implicit casts in INSERT..SELECT.
 */
import type { PgNode } from '../parse/ast';
import { nameList } from '../parse/ast';

const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int8: 'bigint',
  bigint: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  int2: 'smallint',
  smallint: 'smallint',
  smallserial: 'smallint',
  serial2: 'smallint',
  text: 'text',
  varchar: 'character varying',
  'character varying': 'character varying',
  bpchar: 'character',
  char: 'character',
  character: 'character',
  bool: 'boolean',
  boolean: 'boolean',
  float8: 'double precision',
  'double precision': 'double precision',
  float4: 'real',
  real: 'real',
  numeric: 'numeric',
  decimal: 'numeric',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  date: 'date',
  time: 'time without time zone',
  timetz: 'time with time zone',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  inet: 'inet',
  bytea: 'bytea',
};

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** Canonical name of a type written as text (`int4`, `BIGINT`, `varchar(10)`, `public.hll`). */
export function canonicalTypeName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\s+/g, ' ');
  const array = lower.endsWith('[]');
  const base = (array ? lower.slice(0, -2) : lower).replace(/\(.*\)$/, '').replace(/^pg_catalog\./, '').trim();
  const canonical = ALIASES[base] ?? base;
  return array ? `${canonical}[]` : canonical;
}

const BUILTIN_CANONICAL = new Set(Object.values(ALIASES));

/** Whether a canonical type name is one of PostgreSQL's built-in types listed here (arrays of them too). */
export function isKnownBuiltinType(canonical: string): boolean {
  return BUILTIN_CANONICAL.has(canonical.endsWith('[]') ? canonical.slice(0, -2) : canonical);
}

/** Canonical name of a parse-tree `TypeName`. */
export function typeNameOf(typeName: PgNode | undefined): string {
  if (!typeName) return 'unknown';
  const names = nameList(typeName.names);
  // a one-part `char` is the quoted "char" type (the parser turns CHAR into pg_catalog.bpchar)
  const base = names.length === 1 && names[0] === 'char' ? '"char"' : canonicalTypeName(names[names.length - 1] ?? 'unknown');
  return typeName.arrayBounds?.length ? `${base}[]` : base;
}

export function isSerialType(typeName: PgNode | undefined): boolean {
  const names = nameList(typeName?.names);
  return SERIAL_TYPES.has((names[names.length - 1] ?? '').toLowerCase());
}

/**
 * The length of a `character varying(n)` / `character(n)` type: from a parse-tree `TypeName`'s typmods (the grammar
 * gives a bare `char` / `character` its 1), or from the text `format_type` prints (`character varying(3)`).
 */
export function characterLength(type: string, typeName?: PgNode): number | undefined {
  if (type !== 'character varying' && type !== 'character') return undefined;
  if (typeName) {
    if (typeName.arrayBounds?.length || typeName.typmods?.length !== 1) return undefined;
    const n = typeName.typmods[0]?.A_Const?.ival?.ival;
    return typeof n === 'number' && n > 0 ? n : undefined;
  }
  return undefined;
}

/** The length `format_type` prints for a `character varying(n)` / `character(n)` column (a snapshot, a cluster). */
export function characterLengthOfText(text: string): { length: number; fixed: boolean } | undefined {
  const m = /^\s*(?:pg_catalog\.)?(character varying|varchar|character|bpchar|char)\s*\(\s*(\d+)\s*\)\s*$/i.exec(text);
  return m && Number(m[2]) > 0 ? { length: Number(m[2]), fixed: !/var/i.test(m[1]) } : undefined;
}

/** A `numeric(p, s)` type's precision and scale, from a parse-tree `TypeName` or from the text `format_type` prints. */
export function numericPrecisionOf(type: string, typeName?: PgNode, text?: string): { precision: number; scale: number } | undefined {
  if (type !== 'numeric') return undefined;
  let p: number | undefined;
  let s = 0;
  if (typeName) {
    if (typeName.arrayBounds?.length || !typeName.typmods?.length || typeName.typmods.length > 2) return undefined;
    p = typeName.typmods[0]?.A_Const?.ival?.ival;
    if (typeName.typmods.length === 2) {
      const v = typeName.typmods[1]?.A_Const?.ival;
      if (!v) return undefined;
      s = v.ival ?? 0;
    }
  } else if (text) {
    const m = /^\s*numeric\s*\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)\s*$/i.exec(text);
    if (!m) return undefined;
    p = Number(m[1]);
    s = m[2] === undefined ? 0 : Number(m[2]);
  }
  return typeof p === 'number' && p >= 1 && s >= 0 && s <= p ? { precision: p, scale: s } : undefined;
}
