/**
 * The DDL of a relation the workspace does not define (it comes from a metadata snapshot or the connected
 * cluster): CREATE TABLE with its columns and keys, and the Citus call that distributes it, as a read-only
 * document for go to definition. Generated from the model, so it says what the model knows, nothing more.
 */
import { displayName, type SchemaModel, type TableModel } from '../schema/model';
import { quoteIdent } from '../complete/describe';

export interface GeneratedDdl {
  text: string;
  /** character offset of the relation's name, and of each column's name */
  nameOffset: number;
  columnOffsets: Map<string, number>;
}

export function tableDdl(t: TableModel, model: SchemaModel): GeneratedDdl {
  const name = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
  const source = t.definedAt?.source;
  const lines: string[] = [
    `-- ${displayName(t)}: generated from ${source === 'cluster' ? "the connected cluster's metadata" : source?.endsWith('.json') ? `the metadata snapshot ${source}` : 'the schema model'} (read-only).`,
    '-- It lists what the model knows about the relation; the real DDL may have more (constraints, indexes, defaults).',
    '',
  ];
  const columnOffsets = new Map<string, number>();
  let nameOffset: number;
  const offset = (): number => lines.join('\n').length + (lines.length ? 1 : 0);
  if ((t.kind === 'view' || t.kind === 'matview') && t.viewDefinition) {
    const head = `CREATE ${t.kind === 'matview' ? 'MATERIALIZED VIEW' : 'VIEW'} `;
    nameOffset = offset() + head.length + name.length - quoteIdent(t.name).length;
    lines.push(`${head}${name} AS`, `${t.viewDefinition.trim().replace(/;$/, '')};`);
  } else {
    const head = 'CREATE TABLE ';
    nameOffset = offset() + head.length + name.length - quoteIdent(t.name).length;
    lines.push(`${head}${name} (`);
    const items: string[] = [];
    for (const c of t.columns) {
      const parts = [`    ${quoteIdent(c.name)} ${c.type}`];
      if (c.defaultText) parts.push(`DEFAULT ${c.defaultText}`);
      if (c.notNull) parts.push('NOT NULL');
      items.push(parts.join(' '));
    }
    if (t.primaryKey?.length) items.push(`    PRIMARY KEY (${t.primaryKey.map(quoteIdent).join(', ')})`);
    for (const u of t.uniqueKeys) if (u.join() !== t.primaryKey?.join()) items.push(`    UNIQUE (${u.map(quoteIdent).join(', ')})`);
    items.forEach((item, i) => {
      const c = t.columns[i];
      if (c) columnOffsets.set(c.name, offset() + 4);
      lines.push(item + (i < items.length - 1 ? ',' : ''));
    });
    if (t.columns.length === 0) lines.push('    -- the model does not know its columns');
    lines.push(');');
  }
  const literal = `'${name.replace(/'/g, "''")}'`;
  if (t.kind === 'hash' || t.kind === 'range' || t.kind === 'append') {
    // on its own (the document shows one relation): the group's other tables are named in a comment, since a
    // colocate_with naming one fails unless it was created first
    const others = t.colocationId ? model.groupMembers(t.colocationId).filter((m) => m !== t) : [];
    const args = [literal, `'${(t.distributionColumn ?? '').replace(/'/g, "''")}'`];
    if (t.kind !== 'hash') args.push(`'${t.kind}'`);
    const shards = t.shardCount ?? (t.colocationId ? model.groups.get(t.colocationId)?.shardCount : undefined);
    if (t.kind === 'hash' && shards && shards !== model.defaultShardCount) args.push(`shard_count => ${shards}`);
    if (others.length) {
      const names = others.slice(0, 5).map(displayName).join(', ') + (others.length > 5 ? ` and ${others.length - 5} more` : '');
      lines.push(`-- colocated with ${names} (colocation group ${t.colocationId}): with one of them created first, add colocate_with => '${displayName(others[0])}'`);
    }
    lines.push(`SELECT create_distributed_table(${args.join(', ')});`);
  } else if (t.kind === 'reference') lines.push(`SELECT create_reference_table(${literal});`);
  else if (t.kind === 'citus_local') lines.push(`SELECT citus_add_local_table_to_metadata(${literal});`);
  else if (t.kind === 'single_shard') lines.push(`SELECT create_distributed_table(${literal}, NULL);`);
  return { text: lines.join('\n') + '\n', nameOffset, columnOffsets };
}
