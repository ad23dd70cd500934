/**
 * Type names: the schema model's canonical names (format_type output) and parse-tree TypeName nodes, to
 * catalog OIDs. Types the catalog does not have (an extension's, a user's enum or domain) are NO_TYPE.
 */
import { nameList, type PgNode } from '../parse/ast';
import { canonicalTypeName } from '../schema/types';
import { NO_TYPE, builtins, type TypeId } from './catalog';

const byCanonical = new Map<string, TypeId>();

/** The OID of a schema-model column type (`integer`, `text[]`, `character varying`); NO_TYPE when not built in. */
export function typeOfColumnType(canonical: string | undefined): TypeId {
  if (!canonical || canonical === 'unknown') return NO_TYPE;
  let t = byCanonical.get(canonical);
  if (t === undefined) {
    t = builtins().typeByName(canonical);
    // `pg_catalog.` names are built in; any other qualified name belongs to a user schema
    if (t === NO_TYPE && canonical.startsWith('pg_catalog.')) t = builtins().typeByName(canonical.slice(11));
    byCanonical.set(canonical, t);
  }
  return t;
}

/** The OID of a parse-tree TypeName (`int`, `varchar(10)`, `timestamptz[]`, `pg_catalog.int4`, `double precision`). */
export function typeOfTypeName(typeName: PgNode | undefined): TypeId {
  const tn = typeName?.TypeName ?? typeName;
  if (!tn) return NO_TYPE;
  if (tn.pct_type) return NO_TYPE; // %TYPE
  const names = nameList(tn.names);
  if (names.length === 0) return NO_TYPE;
  if (names.length > 2 || (names.length === 2 && names[0] !== 'pg_catalog')) return NO_TYPE;
  const base = names[names.length - 1];
  // a one-part `char` is the quoted "char" type (the parser turns CHAR into pg_catalog.bpchar)
  let t = base === 'char' && names.length === 1 ? builtins().typeByName('char') : typeOfColumnType(canonicalTypeName(base));
  if (t === NO_TYPE) t = builtins().typeByName(base);
  if (t === NO_TYPE) return NO_TYPE;
  if (tn.arrayBounds?.length) {
    const arr = builtins().type(t)?.array;
    return arr || NO_TYPE;
  }
  return t;
}
