/**
 * The analysis' output types: what the CLI, the language server and the tests read.
 * Offsets are character offsets into the analysed document; line/character conversion happens in
 * the shells (see parse/offsets.ts LineIndex).
 */

/** How Citus runs an INSERT..SELECT (values of the lint JSON `method` field). */
export type Method = 'pushdown' | 'router' | 'repartition' | 'pull_to_coordinator' | 'error' | 'not_applicable';

export const METHODS: readonly Method[] = ['pushdown', 'router', 'repartition', 'pull_to_coordinator', 'error', 'not_applicable'];

export type StatementKind = 'insert_select' | 'ddl' | 'other';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Range {
  start: number;
  end: number;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** A message as Citus prints it (DEBUG or ERROR, with DETAIL and HINT). */
export interface CitusMessage {
  level: 'DEBUG' | 'ERROR' | 'NOTICE' | 'WARNING';
  message: string;
  detail?: string;
  hint?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** one line: what is wrong and what Citus does about it */
  message: string;
  range: Range;
  statementIndex: number;
  /** plain-language explanation and the way out */
  explanation?: string;
  /** Citus' own words, so users can match them to what the cluster prints */
  citus?: CitusMessage;
  fix?: Fix;
  /** `internal-error` findings: the stack of the analysis' exception, for the log (never shown inline) */
  internal?: string;
}

export interface Prediction {
  method: Method;
  /** Citus' reasons, worded as its DEBUG/ERROR messages (`DEBUG:  msg\nDETAIL:  ...`) */
  reasons: string[];
  /** a few words for code lenses: "LIMIT", "not colocated", ... */
  summary?: string;
  /** the construct responsible for the method */
  range?: Range;
  /** the rule that explains the method */
  rule?: string;
}

export interface StatementResult {
  index: number;
  kind: StatementKind;
  range: Range;
  parentIndex?: number;
  /** the INSERT target (as written) for INSERT..SELECT statements */
  target?: string;
  prediction: Prediction;
  /**
   * How Citus runs a statement other than INSERT..SELECT (INSERT .. VALUES, UPDATE, DELETE, MERGE,
   * SELECT [FOR UPDATE], COPY, SET/RESET citus.*), with the DML corpus' labels; reasons are in
   * `prediction.reasons` (whose method stays `not_applicable`). See docs/dml.md.
   */
  outcome?: 'single_shard' | 'multi_shard' | 'coordinator' | 'local' | 'error' | 'ok_setting' | 'not_applicable';
  /** shards the statement touches, when the model can tell (see `shardCountUpperBound`) */
  shardCount?: number;
  /** `shardCount` is an upper bound ("up to N shards") rather than exact */
  shardCountUpperBound?: boolean;
}

export interface DocumentAnalysis {
  statements: StatementResult[];
  findings: Finding[];
}

/** Formats a Citus message the way psql prints it. */
export function formatCitusMessage(m: CitusMessage): string {
  let s = `${m.level}:  ${m.message}`;
  if (m.detail) s += `\nDETAIL:  ${m.detail}`;
  if (m.hint) s += `\nHINT:  ${m.hint}`;
  return s;
}
