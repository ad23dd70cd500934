/**
 * Merging the cluster's metadata with the workspace DDL: the cluster wins; where the two disagree
 * (different distribution column, table kind or colocation) the merge says so.
 */
import { qualifiedName, type SchemaModel, type TableModel } from './model';
export interface MergeMessage {
  /** `schema.table` */
  table: string;
  kind: 'distribution_column' | 'colocation' | 'table_kind' | 'missing_on_cluster';
  message: string;
  /** where the workspace declares it */
  workspaceAt?: TableModel['definedAt'];
}

/**
 * The cluster wins: every cluster table replaces the workspace's table of the same name. Workspace tables the
 * cluster does not have are kept (new DDL not deployed yet). Disagreements are reported.
 */
export function mergeModels(cluster: SchemaModel, workspace: SchemaModel): { model: SchemaModel; messages: MergeMessage[] } {
  const model = cluster.clone();
  // the cluster's own server version; the project's declared one when the metadata has none
  model.postgresMajor ??= workspace.postgresMajor;
  const messages: MergeMessage[] = [];
  // colocation: compare the grouping (which tables share a group), not ids, which differ between DDL and cluster
  for (const w of workspace.tables.values()) {
    const key = qualifiedName(w.schema, w.name);
    const c = cluster.tables.get(key);
    if (!c) {
      model.put({ ...w, columns: w.columns.map((x) => ({ ...x })), uniqueKeys: w.uniqueKeys.map((k) => [...k]), otherUniqueIndexes: w.otherUniqueIndexes?.map((i) => ({ ...i, columns: [...i.columns] })) });
      if (w.kind !== 'local' && w.kind !== 'view' && w.kind !== 'matview') {
        messages.push({ table: key, kind: 'missing_on_cluster', message: `${key} is distributed in the workspace (${w.kind}) but does not exist on the cluster`, workspaceAt: w.definedAt });
      }
      continue;
    }
    // a cluster view without a definition (an old snapshot): keep the workspace's, so the view is still expanded
    if (c.kind === 'view' && w.kind === 'view' && w.viewQuery && !c.viewQuery && !c.viewDefinition) {
      const merged = model.get(c.schema, c.name);
      if (merged) merged.viewQuery = w.viewQuery;
    }
    if (w.kind !== c.kind && !(w.kind === 'local' && !w.distributedAt && c.kind !== 'local')) {
      messages.push({ table: key, kind: 'table_kind', message: `${key} is ${describeKind(c)} on the cluster but ${describeKind(w)} in the workspace DDL; using the cluster`, workspaceAt: w.distributedAt ?? w.definedAt });
    } else if (w.kind === c.kind && (w.distributionColumn ?? null) !== (c.distributionColumn ?? null)) {
      messages.push({
        table: key,
        kind: 'distribution_column',
        message: `${key} is distributed by ${c.distributionColumn ?? '(none)'} on the cluster but by ${w.distributionColumn ?? '(none)'} in the workspace DDL; using the cluster`,
        workspaceAt: w.distributedAt ?? w.definedAt,
      });
    }
  }
  // colocation: pairs of tables present in both whose togetherness differs
  const both = [...workspace.tables.values()].filter((w) => cluster.tables.has(qualifiedName(w.schema, w.name)) && w.colocationId && w.kind === 'hash');
  const reported = new Set<string>();
  for (let i = 0; i < both.length; i++) {
    for (let j = i + 1; j < both.length; j++) {
      const a = both[i];
      const b = both[j];
      const ca = cluster.tables.get(qualifiedName(a.schema, a.name))!;
      const cb = cluster.tables.get(qualifiedName(b.schema, b.name))!;
      if (ca.kind !== 'hash' || cb.kind !== 'hash') continue;
      const wTogether = !!a.colocationId && a.colocationId === b.colocationId;
      const cTogether = !!ca.colocationId && ca.colocationId === cb.colocationId;
      if (wTogether === cTogether) continue;
      const key = qualifiedName(a.schema, a.name);
      if (reported.has(key)) continue;
      reported.add(key);
      const other = qualifiedName(b.schema, b.name);
      messages.push({
        table: key,
        kind: 'colocation',
        message: cTogether
          ? `${key} and ${other} are co-located on the cluster (group ${ca.colocationId}) but not in the workspace DDL; using the cluster`
          : `${key} and ${other} are co-located in the workspace DDL but not on the cluster (groups ${ca.colocationId ?? 'none'} and ${cb.colocationId ?? 'none'}); using the cluster`,
        workspaceAt: a.distributedAt ?? a.definedAt,
      });
    }
  }
  for (const s of workspace.sequences) model.sequences.add(s);
  for (const [k, v] of workspace.functions) if (!model.functions.has(k)) model.functions.set(k, v);
  for (const [k, v] of workspace.functionDefinitions) if (!model.functionDefinitions.has(k)) model.functionDefinitions.set(k, v);
  for (const o of workspace.operators) model.operators.add(o);
  model.sources = [...cluster.sources, ...workspace.sources.filter((s) => !cluster.sources.includes(s))];
  return { model, messages };
}

function describeKind(t: TableModel): string {
  switch (t.kind) {
    case 'hash':
      return `hash-distributed by ${t.distributionColumn ?? '?'}`;
    case 'local':
      return 'a plain PostgreSQL table';
    case 'citus_local':
      return 'a Citus local table';
    case 'single_shard':
      return 'a single-shard table';
    default:
      return `a ${t.kind} table`;
  }
}
