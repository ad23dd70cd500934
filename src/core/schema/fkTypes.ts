/**
 * PostgreSQL's check that a foreign key's column types can be compared with the referenced key's (rule
 * foreign-key-type-mismatch; ATAddForeignKeyConstraint in commands/tablecmds.c of PostgreSQL 15): the referenced key's
 * btree operator family must hold an equality operator between the two types, or the referencing type must convert
 * implicitly to the one the key's index compares. Otherwise:
 *
 *   ERROR:  foreign key constraint "orders_account_id_fkey" cannot be implemented
 *   DETAIL:  Key columns "account_id" and "id" are of incompatible types: uuid and bigint.
 *
 * Only built-in types the model knows on both sides (a domain, an enum, a type of an extension: nothing is said), and
 * only when the constraint's name is sure (given, or chosen by PostgreSQL on a table whose constraint names the model
 * knows all of). Checked on PostgreSQL 15 and Citus 13.2.2.
 */
import type { PgNode } from '../parse/ast';
import { nameList } from '../parse/ast';
import { builtins, NO_TYPE, type TypeId } from '../semantic/catalog';
import { canCoerce } from '../semantic/coerce';
import { typeOfColumnType } from '../semantic/types';
import { fitsName } from './keyNames';
import { findColumn, type TableModel } from './model';

/** btree operator families with equality operators across their types (integer_ops, float_ops, datetime_ops, text_ops). */
const FAMILIES: readonly (readonly string[])[] = [
  ['smallint', 'integer', 'bigint'],
  ['real', 'double precision'],
  ['date', 'timestamp without time zone', 'timestamp with time zone'],
  ['text', 'name'],
];

/** The type a key's index compares (its default btree opclass' input type): varchar's is text's. */
function indexedType(canonical: string): string {
  return canonical === 'character varying' ? 'text' : canonical;
}

function family(canonical: string): readonly string[] | undefined {
  return FAMILIES.find((f) => f.includes(canonical));
}

/** Whether a referencing column of type `fk` can reference a key column of type `pk`: undefined when not known. */
export function fkTypesCompatible(fk: string, pk: string): boolean | undefined {
  const keyType = indexedType(pk);
  if (fk === pk || fk === keyType) return true;
  if (family(keyType)?.includes(fk)) return true;
  const f = typeOfColumnType(fk);
  const p = typeOfColumnType(keyType);
  if (f === NO_TYPE || p === NO_TYPE) return undefined;
  return canCoerce(f, p, 'i');
}

/**
 * The error PostgreSQL raises for the foreign key `con` of `table` (its referencing columns `columns`) to `refColumns`
 * of `referenced`, or undefined. `chosenName`: the name PostgreSQL gives an unnamed one, when the model is sure of it.
 */
export function foreignKeyTypeError(con: PgNode, columns: readonly string[], table: TableModel, referenced: TableModel, refColumns: readonly string[], chosenName: string | undefined): { message: string; detail: string } | undefined {
  if (columns.length !== refColumns.length) return undefined;
  for (let i = 0; i < columns.length; i++) {
    const own = findColumn(table, columns[i]);
    const ref = findColumn(referenced, refColumns[i]);
    if (!own?.type || !ref?.type) return undefined;
    if (fkTypesCompatible(own.type, ref.type) !== false) continue;
    const name: string | undefined = con.conname ?? chosenName;
    if (!name) return undefined;
    const display = (canonical: string): string => builtins().display(typeOfColumnType(canonical) as TypeId);
    return {
      message: `foreign key constraint "${name}" cannot be implemented`,
      detail: `Key columns "${columns[i]}" and "${refColumns[i]}" are of incompatible types: ${display(own.type)} and ${display(ref.type)}.`,
    };
  }
  return undefined;
}

/** The name PostgreSQL gives an unnamed foreign key of `table` on `columns` (ChooseConstraintName), when it is sure. */
export function chosenForeignKeyName(table: TableModel, columns: readonly string[]): string | undefined {
  if (!table.constraintNamesComplete) return undefined;
  const name = `${table.name}_${columns.join('_')}_fkey`;
  if (!fitsName(name) || table.constraintNames?.[name] || table.keyNames?.[name]) return undefined;
  return name;
}

/** A foreign key's referencing columns: its own list, or the column it is written on. */
export function foreignKeyColumns(con: PgNode, ownColumn: string | undefined): string[] {
  return con.fk_attrs?.length ? nameList(con.fk_attrs) : ownColumn ? [ownColumn] : [];
}
