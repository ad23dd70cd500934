/**
 * Everything the client and the server agree on beyond standard LSP, declared once.
 *
 * Custom methods use the `citus/` prefix; each says which side sends it. Command ids are shared
 * because the server builds code lenses and code actions that name client commands.
 */
import type { Method } from '../core/types';

/** The configuration section of every setting (`citusRollups.enable`, ...). */
export const CONFIG_SECTION = 'citusRollups';

/** The language client's id: VS Code reads `<id>.trace.server` for protocol tracing. */
export const CLIENT_ID = 'citusRollups';

/** Command ids (the client registers them; the server puts them in lenses and code actions). */
export const Commands = {
  /** args: [uri: string, offset: number] (character offset of the statement start) */
  explainStatement: 'citusRollups.explainStatement',
  /** args: [url: string] */
  openRuleDoc: 'citusRollups.openRuleDoc',
  /** no args */
  restartServer: 'citusRollups.restartServer',
  /** no args */
  showOutput: 'citusRollups.showOutput',
  /** no args: re-reads the workspace schema files and the snapshot */
  reloadSchema: 'citusRollups.reloadSchema',
  /** args: [parent?: Uri, options?: { open?: boolean }]: copies the shipped examples into a new folder; returns it */
  createExampleWorkspace: 'citusRollups.createExampleWorkspace',
  /** internal: run after one of our code actions was applied (walkthrough progress) */
  codeActionApplied: 'citusRollups.codeActionApplied',
} as const;

/** What the server knows about the schema of one workspace folder (or of loose files). */
export interface SchemaStatus {
  /** a few words: "4 schema files", "snapshot + 4 schema files", "cluster + 4 schema files", "no schema files" */
  source: string;
  tables: number;
  /** a problem with the schema sources (unreadable snapshot, ...) */
  error?: string;
}

/**
 * server -> client notification, after each analysis of an open document: the schema the document
 * was analysed with and its findings, for the status bar.
 */
export const StatusNotification = 'citus/status';
export interface StatusParams {
  uri: string;
  enabled: boolean;
  schema: SchemaStatus;
  findings: { error: number; warning: number; information: number; hint: number };
  insertSelects: number;
}

/** client -> server request: re-read every schema file and the snapshot. */
export const ReloadSchemaRequest = 'citus/reloadSchema';

/** client -> server request: the server's process figures (for benchmarks and the output channel). */
export const ServerStatsRequest = 'citus/serverStats';
export interface ServerStats {
  rss: number;
  heapUsed: number;
  openDocuments: number;
  analyses: number;
  cacheHits: number;
}

/**
 * client -> server notification: the connected cluster's metadata (a snapshot object, see
 * src/core/schema/snapshot.ts), or null after disconnecting. The cluster wins over workspace DDL.
 */
export const ClusterSnapshotNotification = 'citus/clusterSnapshot';
export interface ClusterSnapshotParams {
  /** the Snapshot object, or null */
  snapshot: unknown;
}

/**
 * client -> server request: the schema model a document is analysed with (as a snapshot object), for
 * the scaffold wizard.
 */
export const SchemaSnapshotRequest = 'citus/schemaSnapshot';
export interface SchemaSnapshotParams {
  uri?: string;
}

/**
 * client -> server request: the prediction of the top-level statement that starts at `offset` of an open document,
 * made with the same analysis as its code lens (for the EXPLAIN panel), and the relations it reads or writes that
 * the workspace defines but the connected cluster does not have. null when no statement starts there.
 */
export const StatementPredictionRequest = 'citus/statementPrediction';
export interface StatementPredictionParams {
  uri: string;
  /** character offset of the statement start */
  offset: number;
}
export interface StatementPrediction {
  method: Method;
  /** for a statement other than INSERT..SELECT: how Citus runs it (single_shard, multi_shard, coordinator, local, error) */
  outcome?: string;
  reasons: string[];
  summary?: string;
  /** relations of the statement that are in the workspace model but not on the connected cluster */
  notOnCluster: { table: string; definedAt?: string }[];
}

/**
 * client -> server request: what the workspace does with its tables, for the scaffold wizard's table list:
 * the targets of INSERT .. SELECT statements (rollups) and the tables the connected cluster does not have
 * (qualified names, `schema.table`).
 */
export const TableRolesRequest = 'citus/tableRoles';
export interface TableRolesParams {
  uri?: string;
}
export interface TableRoles {
  rollupTargets: string[];
  /** empty when no cluster is connected */
  workspaceOnly: string[];
  /** whether a cluster's metadata is part of the schema */
  connected: boolean;
}

/** Initialization options the client may pass. */
export interface InitializationOptions {
  /** delay between the last edit and the analysis, in ms (default 150) */
  debounceMs?: number;
}

/** `Diagnostic.data` of the server's diagnostics that have a fix (the rule is the diagnostic's `code`). */
export interface DiagnosticData {
  fix?: { title: string; edits: { range: LspRange; newText: string }[] };
}

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** The directive that `analyzeDocument` honours (see src/core/analyze.ts). */
export const DISABLE_DIRECTIVE = '-- citus-rollups-disable-next-statement';

/**
 * The URI scheme of the read-only documents that show the DDL of a relation the workspace does not define (it
 * comes from a metadata snapshot or the connected cluster): go to definition opens them. The client provides
 * their text with `citus/generatedDdl`.
 */
export const GENERATED_DDL_SCHEME = 'citus-rollups-ddl';

/** client -> server request: the text of a `citus-rollups-ddl:` document (null when the server has no such relation). */
export const GeneratedDdlRequest = 'citus/generatedDdl';
export interface GeneratedDdlParams {
  uri: string;
}
