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

/** The canonical name of a type written as text when it is a built-in type the model knows, else undefined. */
export function knownBuiltinType(type: string | undefined): string | undefined {
  const c = type ? canonicalTypeName(type) : undefined;
  return c && isKnownBuiltinType(c) ? c : undefined;
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

/** What a type's modifiers say of the values a column takes (ColumnModel's fields of the same names). */
export interface TypeSize {
  /** `character varying(n)` / `character(n)`: n */
  length?: number;
  /** the length is a `character(n)`'s (blank-padded) */
  fixedLength?: boolean;
  /** `numeric(p, s)`: p and s (0 <= s <= p) */
  numericPrecision?: number;
  numericScale?: number;
}

const NO_SIZE: TypeSize = Object.freeze({});

/**
 * The size of a parse-tree `TypeName` of canonical name `type` (the grammar gives a bare `char` / `character` its 1);
 * empty for arrays and types without one.
 */
export function typeSize(type: string, typeName: PgNode | undefined): TypeSize {
  const mods: PgNode[] | undefined = typeName?.typmods;
  if (!mods?.length || typeName?.arrayBounds?.length) return NO_SIZE;
  const n = (i: number): number | undefined => (mods[i] ? (mods[i].A_Const?.ival ? (mods[i].A_Const.ival.ival ?? 0) : undefined) : 0);
  if ((type === 'character varying' || type === 'character') && mods.length === 1) return sized(type === 'character', n(0));
  if (type === 'numeric' && mods.length <= 2) return numericSize(n(0), n(1));
  return NO_SIZE;
}

/** The size of a type as `format_type` prints it (`character varying(3)`, `numeric(5,2)`: a snapshot, a cluster). */
export function typeSizeOfText(text: string): TypeSize {
  const c = /^\s*(?:pg_catalog\.)?(character varying|varchar|character|bpchar|char)\s*\(\s*(\d+)\s*\)\s*$/i.exec(text);
  if (c) return sized(!/var/i.test(c[1]), Number(c[2]));
  const m = /^\s*numeric\s*\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)\s*$/i.exec(text);
  return m ? numericSize(Number(m[1]), m[2] === undefined ? 0 : Number(m[2])) : NO_SIZE;
}

function sized(fixed: boolean, length: number | undefined): TypeSize {
  if (length === undefined || length < 1) return NO_SIZE;
  return fixed ? { length, fixedLength: true } : { length };
}

function numericSize(precision: number | undefined, scale: number | undefined): TypeSize {
  return precision !== undefined && scale !== undefined && precision >= 1 && scale >= 0 && scale <= precision ? { numericPrecision: precision, numericScale: scale } : NO_SIZE;
}
