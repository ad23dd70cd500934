/**
 * Short words about tables, columns and functions, for completion items and signature help.
 */
import { displayName, type SchemaModel, type TableModel } from '../schema/model';
import { NO_TYPE, builtins, type TypeId } from '../semantic/catalog';
import type { Origin } from '../semantic/model';
import type { CitusFunction } from './citus-catalog';

const KIND: Record<TableModel['kind'], string> = {
  hash: 'distributed table',
  range: 'distributed table (range)',
  append: 'distributed table (append)',
  reference: 'reference table',
  citus_local: 'Citus local table',
  single_shard: 'single-shard table',
  local: 'local table',
  view: 'view',
  matview: 'materialized view',
};

export function tableDetail(t: TableModel): string {
  return KIND[t.kind];
}

/** Markdown: what the table is in Citus, and its columns (the distribution column marked). */
export function describeTable(t: TableModel, model: SchemaModel): string {
  const lines = [`**${displayName(t)}** — ${KIND[t.kind]}`];
  if (t.distributionColumn) lines.push('', `Distribution column: \`${t.distributionColumn}\``);
  if (t.colocationId) {
    const others = model.groupMembers(t.colocationId).filter((m) => m !== t);
    if (others.length) lines.push('', `Colocated with ${others.slice(0, 5).map((m) => `\`${displayName(m)}\``).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}`);
  }
  if (t.columns.length) {
    lines.push('', ...t.columns.slice(0, 30).map((c) => `- \`${c.name}\` ${c.type}${c.name === t.distributionColumn ? ' — distribution column' : ''}`));
    if (t.columns.length > 30) lines.push(`- … ${t.columns.length - 30} more`);
  }
  return lines.join('\n');
}

/** A type as PostgreSQL prints it, or undefined when the model does not know it. */
export function columnDetail(type: TypeId): string | undefined {
  return type === NO_TYPE ? undefined : builtins().display(type);
}

/** The table a value comes from directly (through subqueries and CTEs), when it is a table's column. */
export function originTable(origin: Origin): TableModel | undefined {
  return origin.kind === 'column' ? origin.rel.table : undefined;
}

/** The name of the table whose distribution column the value is, when it is one. */
export function isDistributionColumn(origin: Origin): string | undefined {
  if (origin.kind !== 'column') return undefined;
  const t = origin.rel.table;
  return t.distributionColumn === origin.column ? t.name : undefined;
}

/** `(table_name regclass, distribution_column text, …) → void` */
export function functionSignature(fn: CitusFunction): string {
  return `(${fn.args.map((a) => `${a.name ? `${a.name} ` : ''}${a.type}${a.default !== undefined ? ' = …' : ''}`).join(', ')}) → ${fn.result}`;
}

/** An identifier as SQL must write it: quoted unless it is lower-case, simple and not a reserved word. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** PostgreSQL's reserved keywords (cannot be column or table names unquoted). */
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with'.split(
    ' ',
  ),
);
