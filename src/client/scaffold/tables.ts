/**
 * The wizard's source table list, grouped so that raw tables, rollups and tables that exist only in the workspace
 * are told apart. PURE (no vscode import).
 */
import { displayName, qualifiedName, type SchemaModel, type TableModel } from '../../core/schema/model';
import type { TableRoles } from '../../protocol';

export interface TableGroup {
  title: string;
  tables: { table: TableModel; description: string }[];
}

/** Hash-distributed tables (what a rollup can be colocated with), in groups; empty groups are left out. */
export function sourceTableGroups(model: SchemaModel, roles: TableRoles | undefined): TableGroup[] {
  const rollups = new Set(roles?.rollupTargets ?? []);
  const workspaceOnly = new Set(roles?.workspaceOnly ?? []);
  const raw: TableGroup = { title: 'Raw tables', tables: [] };
  // short titles: the quick pick shows a group's title on the line of its first table
  const rolled: TableGroup = { title: 'Rollups (INSERT … SELECT targets)', tables: [] };
  const local: TableGroup = { title: 'Not on the cluster (workspace only)', tables: [] };
  const hash = [...model.tables.values()].filter((t) => t.kind === 'hash' && !t.partitionParent).sort((a, b) => displayName(a).localeCompare(displayName(b)));
  for (const t of hash) {
    const key = qualifiedName(t.schema, t.name);
    const isRollup = rollups.has(key);
    const group = workspaceOnly.has(key) ? local : isRollup ? rolled : raw;
    group.tables.push({ table: t, description: `${isRollup && group === local ? 'rollup, ' : ''}distributed by ${t.distributionColumn}` });
  }
  return [raw, rolled, local].filter((g) => g.tables.length > 0);
}

/** The editor's file name for a generated script: `rollup_<table>.sql` (schema first unless it is public). */
export function scriptFileName(rollupTable: string, attempt = 1): string {
  const [schema, name] = rollupTable.includes('.') ? [rollupTable.slice(0, rollupTable.indexOf('.')), rollupTable.slice(rollupTable.indexOf('.') + 1)] : ['public', rollupTable];
  const base = `rollup_${schema === 'public' ? '' : `${schema}_`}${name}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${base}${attempt > 1 ? `_${attempt}` : ''}.sql`;
}
