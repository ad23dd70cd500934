/**
 * Plain-language summaries (for code lenses) and explanations (with the way out) of PostgreSQL's errors, by
 * rule id. The rule docs (docs/rules/<id>.md) say the same at length.
 */
import type { SemanticRule } from './errors';

const BEFORE_CITUS = 'PostgreSQL analyses every statement before Citus plans it, so the statement fails on the coordinator before any shard is touched.';

export const SEMANTIC_EXPLANATIONS: Record<SemanticRule, { summary: string; explanation: string }> = {
  'unknown-table': {
    summary: 'unknown table',
    explanation: `${BEFORE_CITUS} The metadata snapshot or cluster has no relation of this name: check the spelling, the schema and the search_path.`,
  },
  'unknown-column': {
    summary: 'unknown column',
    explanation: `${BEFORE_CITUS} No table in scope has a column of this name (or the INSERT/UPDATE target has no such column). Check the spelling against the table's DDL; the hint names the closest column.`,
  },
  'missing-from-entry': {
    summary: 'missing FROM entry',
    explanation: `${BEFORE_CITUS} The qualifier names no FROM item visible here: a table referenced by its name after it was given an alias, a table that is not in FROM, or (in JOIN ... ON) a table joined later.`,
  },
  'ambiguous-column': {
    summary: 'ambiguous column',
    explanation: `${BEFORE_CITUS} More than one table in scope has a column of this name. Qualify it with the table's alias.`,
  },
  'insert-type-mismatch': {
    summary: 'type mismatch',
    explanation: `${BEFORE_CITUS} The SELECT's columns are assigned to the target columns by position, and this value's type has no assignment cast to the column's type. The usual cause is two SELECT expressions in the wrong order for the INSERT column list; otherwise cast the expression.`,
  },
  'insert-column-count': {
    summary: 'column count',
    explanation: `${BEFORE_CITUS} The INSERT column list and the SELECT (or VALUES) list must have the same length: a column was added to one and not to the other.`,
  },
  'insert-generated-column': {
    summary: 'generated column',
    explanation: `${BEFORE_CITUS} An identity column GENERATED ALWAYS, and a generated column, take no value from an INSERT or an UPDATE: PostgreSQL computes them. Leave the column out of the column list or the SET list (or write DEFAULT); for an INSERT into an identity column, \`OVERRIDING SYSTEM VALUE\` keeps the given values.`,
  },
  'ungrouped-column': {
    summary: 'not grouped',
    explanation: `${BEFORE_CITUS} With GROUP BY or aggregates, every column outside an aggregate must be grouped (or belong to a table whose primary key is grouped). Add the expression to GROUP BY, or aggregate it.`,
  },
  'misplaced-aggregate': {
    summary: 'misplaced aggregate',
    explanation: `${BEFORE_CITUS} Aggregates are computed after WHERE, JOIN conditions and GROUP BY, so they cannot appear there (filter groups with HAVING instead), and one aggregate cannot contain another (aggregate in a subquery first).`,
  },
  'misplaced-window-function': {
    summary: 'misplaced window function',
    explanation: `${BEFORE_CITUS} Window functions are computed after WHERE, GROUP BY and HAVING; compute them in a subquery and filter outside it.`,
  },
  'misplaced-set-returning-function': {
    summary: 'misplaced set-returning function',
    explanation: `${BEFORE_CITUS} A set-returning function (generate_series, unnest, jsonb_array_elements, ...) yields rows, so it cannot be a condition (WHERE, JOIN ... ON, HAVING), a LIMIT, an UPDATE value, or an argument of an aggregate or window function. Call it in FROM (\`FROM events, LATERAL unnest(tags) AS t(tag)\`) and use its column instead.`,
  },
  'distinct-order-by': {
    summary: 'ORDER BY does not fit DISTINCT',
    explanation: `${BEFORE_CITUS} SELECT DISTINCT removes duplicate output rows, so it can only sort by output columns; DISTINCT ON keeps the first row of each group, so its expressions must lead the ORDER BY (the rest of the ORDER BY picks which row is first). Add the ORDER BY expression to the select list, or reorder the ORDER BY to start with the DISTINCT ON expressions.`,
  },
  'undefined-function': {
    summary: 'no such function',
    explanation: `${BEFORE_CITUS} A function of this name exists, but no version of it takes these argument types (or it was called as an aggregate when it is not one). Cast the arguments, or check their order.`,
  },
  'removed-citus-function': {
    summary: 'removed Citus function',
    explanation: `${BEFORE_CITUS} An older Citus had this function; its upgrade scripts dropped it, and Citus 13 has none of that name, so the statement fails on the coordinator. Guides, demos and scripts written for Citus 9 or earlier still call it. The finding says what replaced it.`,
  },
  'undefined-operator': {
    summary: 'no such operator',
    explanation: `${BEFORE_CITUS} No operator takes these two types, and PostgreSQL does not convert between them implicitly. Cast one side, or compare columns of the same type.`,
  },
  'invalid-literal': {
    summary: 'invalid literal',
    explanation: `${BEFORE_CITUS} A quoted literal is converted to the type it is compared with or assigned to when the statement is analysed, and this text is not valid input for that type.`,
  },
  'value-too-long': {
    summary: 'value too long for the column',
    explanation: `${BEFORE_CITUS} The column is \`character varying(n)\` or \`character(n)\`, and the constant assigned to it has more characters than n (beyond trailing spaces, which are cut). PostgreSQL converts the constant when it plans the statement, so the statement fails whether or not it touches a row. Shorten the value, widen the column (ALTER TABLE .. ALTER COLUMN .. TYPE varchar(m)), or cast explicitly (\`'abcd'::varchar(3)\` cuts the value).`,
  },
  'constant-arithmetic-error': {
    summary: 'constant arithmetic fails',
    explanation: `${BEFORE_CITUS} Integer arithmetic on constants is computed when PostgreSQL plans the statement (eval_const_expressions), and this computation fails: a division or modulo by zero, or a result beyond the range of its type (int4 for integer literals that fit it, int8 beyond; smallint for a cast to smallint). The statement fails whether or not it reads a row. Fix the constant, or compute in a wider type (\`2147483647::bigint + 1\`). A negative constant LIMIT or OFFSET fails the same way, when the plan starts.`,
  },
  'datatype-mismatch': {
    summary: 'type error',
    explanation: `${BEFORE_CITUS} The construct's parts have types PostgreSQL cannot reconcile (CASE / UNION / VALUES branches, a condition that is not boolean, a cast that does not exist, column counts of set operations).`,
  },
  'read-only-transaction': {
    summary: 'refused in a read-only transaction',
    explanation:
      "The transaction is read-only (BEGIN READ ONLY, SET TRANSACTION READ ONLY, or the session's default_transaction_read_only = on from SET or SET SESSION CHARACTERISTICS), and this statement writes: INSERT, UPDATE, DELETE, MERGE, SELECT .. FOR UPDATE or with a data-modifying CTE on a table that is not temporary, DDL (temporary objects too), or a Citus call that changes its metadata (create_distributed_table takes a colocation id from a sequence). PostgreSQL refuses it, and nothing of it happens; in a transaction block every later statement fails until ROLLBACK. Begin the transaction READ WRITE, or SET default_transaction_read_only = off before it (a role's or database's default may be on too: ALTER ROLE .. SET default_transaction_read_only).",
  },
  'transaction-block-refused': {
    summary: 'refused inside a transaction block',
    explanation:
      'PostgreSQL runs this statement only outside a transaction block: CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY (they commit between their phases so that the table stays writable), REINDEX CONCURRENTLY, VACUUM, ALTER SYSTEM, CREATE / DROP DATABASE, DISCARD ALL, CLUSTER of every table, and Citus\' create_distributed_table_concurrently. After BEGIN it fails, nothing of it happens, and every later statement fails until ROLLBACK. Run it on its own, after COMMIT (a migration tool that wraps each file in a transaction has a way to mark a file as non-transactional).',
  },
  'newer-postgres-syntax': {
    summary: 'syntax this PostgreSQL does not have',
    explanation: 'The project declares its cluster\'s PostgreSQL version (`cluster.postgresVersion` in citus-rollups.json, or the server version of its metadata snapshot or connected cluster), and that version\'s own grammar rejects this statement: it uses syntax a later PostgreSQL added (MERGE ... WHEN NOT MATCHED BY SOURCE and MERGE ... RETURNING, JSON_TABLE and the SQL/JSON query functions in 17; IS JSON, JSON_OBJECT / JSON_ARRAY, a subquery in FROM without an alias, and 1_000 or 0x1F literals in 16). The coordinator refuses it before Citus plans anything. Write it the older way (an alias for the subquery, separate statements for MERGE\'s BY SOURCE branch, jsonb functions), or upgrade the cluster and the declared version.',
  },
};
