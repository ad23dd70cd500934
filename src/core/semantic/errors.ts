/**
 * What the semantic layer reports: PostgreSQL's parse-analysis errors, each under a rule id, with
 * PostgreSQL's own message text (src/backend/parser/*.c of PostgreSQL 15), and where in the statement.
 */
import type { PgNode } from '../parse/ast';

export type SemanticRule =
  | 'unknown-table'
  | 'unknown-column'
  | 'missing-from-entry'
  | 'ambiguous-column'
  | 'insert-type-mismatch'
  | 'insert-column-count'
  | 'insert-generated-column'
  | 'ungrouped-column'
  | 'misplaced-aggregate'
  | 'misplaced-window-function'
  | 'misplaced-set-returning-function'
  | 'distinct-order-by'
  | 'undefined-function'
  | 'removed-citus-function'
  | 'undefined-operator'
  | 'invalid-literal'
  | 'value-too-long'
  | 'constant-arithmetic-error'
  | 'datatype-mismatch'
  | 'newer-postgres-syntax'
  | 'read-only-transaction'
  | 'transaction-block-refused';

export const SEMANTIC_RULES: readonly SemanticRule[] = [
  'unknown-table',
  'unknown-column',
  'missing-from-entry',
  'ambiguous-column',
  'insert-type-mismatch',
  'insert-column-count',
  'insert-generated-column',
  'ungrouped-column',
  'misplaced-aggregate',
  'misplaced-window-function',
  'misplaced-set-returning-function',
  'distinct-order-by',
  'undefined-function',
  'removed-citus-function',
  'undefined-operator',
  'invalid-literal',
  'value-too-long',
  'constant-arithmetic-error',
  'datatype-mismatch',
  'newer-postgres-syntax',
  'read-only-transaction',
  'transaction-block-refused',
];

export interface SemanticError {
  rule: SemanticRule;
  /** PostgreSQL's primary message */
  message: string;
  detail?: string;
  hint?: string;
  /** byte location of the construct in the parsed text (PostgreSQL's error position) */
  location: number;
  /** the node the error is about, for the range of the finding */
  node?: PgNode;
  /** the error is about a name at `location` (the range is the name) */
  name?: boolean;
  /** the finding's range in the document, when it is known without a node (overrides `location`) */
  range?: { start: number; end: number };
  /** said after PostgreSQL's message in the finding (not part of PostgreSQL's error) */
  note?: string;
}
