/**
 * The rule registry: every rule, in the order its findings are reported. Adding a rule: see CONTRIBUTING.md.
 */
import type { Rule } from './rule';
import { rule as upsertOverwritesAggregate } from './upsert-overwrites-aggregate';
import { rule as upsertKeyNotUnique } from './upsert-key-not-unique';
import { rule as nonMergeableAggregateUpsert } from './non-mergeable-aggregate-upsert';
import { rule as upsertMinMaxMerge } from './upsert-min-max-merge';
import { rule as rollupWindowWithoutLag } from './rollup-window-without-lag';
import { rule as notNullColumnLeftOut } from './not-null-column-left-out';
import { rule as checkFailsOnRows } from './check-fails-on-rows';
import { rule as rollupKeyWithoutDistColumn } from './rollup-key-without-dist-column';
import { rule as distributionCallRefused } from './distribution-call-refused';
import { rule as foreignKeyRefused } from './foreign-key-refused';
import { rule as alterTableRefused } from './alter-table-refused';
import { rule as relationAlreadyExists } from './relation-already-exists';
import { rule as partitionedKeyWithoutPartitionColumn } from './partitioned-key-without-partition-column';
import { rule as partitionBoundRefused } from './partition-bound-refused';
import { rule as multiplePrimaryKeys } from './multiple-primary-keys';
import { rule as undefinedConstraint } from './undefined-constraint';
import { rule as foreignKeyWithoutUniqueKey } from './foreign-key-without-unique-key';
import { rule as keyDropRefused } from './key-drop-refused';
import { rule as ddlColumnError } from './ddl-column-error';
import { rule as foreignKeyTypeMismatch } from './foreign-key-type-mismatch';
import { rule as transactionBlockRefused } from './transaction-block-refused';
import { rule as constraintAlreadyExists } from './constraint-already-exists';
import { rule as triggerRefused } from './trigger-refused';
import { rule as sequenceRefused } from './sequence-refused';
import { rule as truncateReferencedTable } from './truncate-referenced-table';
import { rule as domainDistColumnConstant } from './domain-dist-column-constant';
import { rule as dependentObjects } from './dependent-objects';
import { rule as updateColumnsMisassigned } from './update-columns-misassigned';
import { rule as distColumnMissing } from './dist-column-missing';
import { rule as distColumnNotPreserved } from './dist-column-not-preserved';
import { rule as limitOffsetBlocksPushdown } from './limit-offset-blocks-pushdown';
import { rule as setOperationBlocksPushdown } from './set-operation-blocks-pushdown';
import { rule as groupByWithoutDistColumn } from './group-by-without-dist-column';
import { rule as aggregateWithoutGroupBy } from './aggregate-without-group-by';
import { rule as windowWithoutDistPartition } from './window-without-dist-partition';
import { rule as distinctWithoutDistColumn } from './distinct-without-dist-column';
import { rule as tablesNotColocated } from './tables-not-colocated';
import { rule as joinNotOnDistColumn } from './join-not-on-dist-column';
import { rule as localTableInSelect } from './local-table-in-select';
import { rule as selectWithoutDistributedTable } from './select-without-distributed-table';
import { rule as volatileFunction } from './volatile-function';
import { rule as sequenceDefaultForcesPull } from './sequence-default-forces-pull';
import { rule as insertLevelCte } from './insert-level-cte';
import { rule as referenceOuterJoin } from './reference-outer-join';
import { rule as groupingSetsUnsupported } from './grouping-sets-unsupported';
import { rule as referenceTargetFromDistributed } from './reference-target-from-distributed';
import { rule as onConflictModifiesDistColumn } from './on-conflict-modifies-dist-column';
import { rule as insertTargetSubscript } from './insert-target-subscript';
import { rule as onConflictMutableFunction } from './on-conflict-mutable-function';
import { rule as onConflictWithoutMatchingKey } from './on-conflict-without-matching-key';
import { rule as onConflictDistributedSubquery } from './on-conflict-distributed-subquery';
import { rule as subqueryBlocksPushdown } from './subquery-blocks-pushdown';
import { rule as distColumnNullAtRuntime } from './dist-column-null-at-runtime';
import { rule as unknownTable } from './unknown-table';
// PostgreSQL's parse analysis (src/core/semantic/): errors before Citus plans anything
import { rule as unknownColumnRule } from './unknown-column';
import { rule as missingFromEntryRule } from './missing-from-entry';
import { rule as ambiguousColumnRule } from './ambiguous-column';
import { rule as insertTypeMismatchRule } from './insert-type-mismatch';
import { rule as insertColumnCountRule } from './insert-column-count';
import { rule as insertGeneratedColumnRule } from './insert-generated-column';
import { rule as multiTaskQueryRule } from './multi-task-query';
import { rule as referenceTableAfterParallelAccessRule } from './reference-table-after-parallel-access';
import { rule as ungroupedColumnRule } from './ungrouped-column';
import { rule as misplacedAggregateRule } from './misplaced-aggregate';
import { rule as misplacedWindowFunctionRule } from './misplaced-window-function';
import { rule as misplacedSetReturningFunctionRule } from './misplaced-set-returning-function';
import { rule as distinctOrderByRule } from './distinct-order-by';
import { rule as newerPostgresSyntaxRule } from './newer-postgres-syntax';
import { rule as readOnlyTransactionRule } from './read-only-transaction';
import { rule as undefinedFunctionRule } from './undefined-function';
import { rule as removedCitusFunctionRule } from './removed-citus-function';
import { rule as undefinedOperatorRule } from './undefined-operator';
import { rule as invalidLiteralRule } from './invalid-literal';
import { rule as valueTooLongRule } from './value-too-long';
import { rule as constantArithmeticErrorRule } from './constant-arithmetic-error';
import { rule as expressionFailsOnRows } from './expression-fails-on-rows';
import { rule as datatypeMismatchRule } from './datatype-mismatch';
// DML rules (statements other than INSERT..SELECT): findings from planner/dml.ts
import { rule as insertWithoutDistColumn } from './insert-without-dist-column';
import { rule as insertNullDistColumn } from './insert-null-dist-column';
import { rule as insertValuesSubquery } from './insert-values-subquery';
import { rule as updateModifiesDistColumn } from './update-modifies-dist-column';
import { rule as volatileFunctionInModification } from './volatile-function-in-modification';
import { rule as forUpdateMultiShard } from './for-update-multi-shard';
import { rule as multiShardModification } from './multi-shard-modification';
import { rule as dmlJoinNotColocated } from './dml-join-not-colocated';
import { rule as modificationViaCoordinator } from './modification-via-coordinator';
import { rule as modifyMaterializedView } from './modify-materialized-view';
import { rule as modifyView } from './modify-view';
import { rule as modifyColumnarTable } from './modify-columnar-table';
import { rule as joinUsingRenamedColumn } from './join-using-renamed-column';
import { rule as nestedDistributedQuery } from './nested-distributed-query';
import { rule as ctidSubqueryModification } from './ctid-subquery-modification';
import { rule as modifyWithCursor } from './modify-with-cursor';
import { rule as copyWithoutDistColumn } from './copy-without-dist-column';
import { rule as copyRefused } from './copy-refused';
import { rule as mergeSourceNotColocated } from './merge-source-not-colocated';
import { rule as mergeInsertWithoutJoinColumn } from './merge-insert-without-join-column';
import { rule as mergeUpdatesDistColumn } from './merge-updates-dist-column';
import { rule as mergeIntoReferenceTable } from './merge-into-reference-table';
import { rule as mergeViaCoordinator } from './merge-via-coordinator';
import { rule as removedCitusSetting } from './removed-citus-setting';

export const RULES: readonly Rule[] = [
  distColumnMissing,
  distColumnNotPreserved,
  limitOffsetBlocksPushdown,
  setOperationBlocksPushdown,
  groupByWithoutDistColumn,
  aggregateWithoutGroupBy,
  windowWithoutDistPartition,
  distinctWithoutDistColumn,
  tablesNotColocated,
  joinNotOnDistColumn,
  localTableInSelect,
  selectWithoutDistributedTable,
  volatileFunction,
  sequenceDefaultForcesPull,
  insertLevelCte,
  referenceOuterJoin,
  groupingSetsUnsupported,
  referenceTargetFromDistributed,
  onConflictModifiesDistColumn,
  insertTargetSubscript,
  onConflictMutableFunction,
  onConflictWithoutMatchingKey,
  onConflictDistributedSubquery,
  subqueryBlocksPushdown,
  distColumnNullAtRuntime,
  unknownTable,
  unknownColumnRule,
  missingFromEntryRule,
  ambiguousColumnRule,
  insertTypeMismatchRule,
  insertColumnCountRule,
  insertGeneratedColumnRule,
  multiTaskQueryRule,
  referenceTableAfterParallelAccessRule,
  ungroupedColumnRule,
  misplacedAggregateRule,
  misplacedWindowFunctionRule,
  misplacedSetReturningFunctionRule,
  distinctOrderByRule,
  undefinedFunctionRule,
  removedCitusFunctionRule,
  undefinedOperatorRule,
  invalidLiteralRule,
  valueTooLongRule,
  constantArithmeticErrorRule,
  expressionFailsOnRows,
  datatypeMismatchRule,
  newerPostgresSyntaxRule,
  readOnlyTransactionRule,
  insertWithoutDistColumn,
  insertNullDistColumn,
  insertValuesSubquery,
  updateModifiesDistColumn,
  volatileFunctionInModification,
  forUpdateMultiShard,
  multiShardModification,
  dmlJoinNotColocated,
  modificationViaCoordinator,
  modifyMaterializedView,
  modifyView,
  modifyColumnarTable,
  joinUsingRenamedColumn,
  nestedDistributedQuery,
  ctidSubqueryModification,
  modifyWithCursor,
  copyWithoutDistColumn,
  copyRefused,
  mergeSourceNotColocated,
  mergeInsertWithoutJoinColumn,
  mergeUpdatesDistColumn,
  mergeIntoReferenceTable,
  mergeViaCoordinator,
  removedCitusSetting,
  upsertOverwritesAggregate,
  upsertKeyNotUnique,
  nonMergeableAggregateUpsert,
  upsertMinMaxMerge,
  rollupWindowWithoutLag,
  rollupKeyWithoutDistColumn,
  distributionCallRefused,
  foreignKeyRefused,
  alterTableRefused,
  relationAlreadyExists,
  partitionedKeyWithoutPartitionColumn,
  partitionBoundRefused,
  multiplePrimaryKeys,
  undefinedConstraint,
  foreignKeyWithoutUniqueKey,
  keyDropRefused,
  ddlColumnError,
  foreignKeyTypeMismatch,
  transactionBlockRefused,
  constraintAlreadyExists,
  triggerRefused,
  sequenceRefused,
  truncateReferencedTable,
  domainDistColumnConstant,
  dependentObjects,
  updateColumnsMisassigned,
  notNullColumnLeftOut,
  checkFailsOnRows,
];
