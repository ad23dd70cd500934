import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// PostgreSQL's own check (src/core/semantic/); every statement here is also run on a real PostgreSQL by
// test/db/semantic-rules.test.ts, which requires PostgreSQL to reject exactly the invalid ones.
const ALIASED = 'SELECT page_views.tenant_id FROM page_views pv';
const MISSING = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT e.tenant_id, count(*) FROM events GROUP BY e.tenant_id';
const JOIN_LATER = 'SELECT 1 FROM events e JOIN users u ON u.user_id = t.tenant_id JOIN tenant_stats t ON t.tenant_id = e.tenant_id';

// a parameter qualified with its function's name (found in PostgreSQL's misc.sql); another name is no FROM item
const BY_FUNCTION_NAME = "CREATE FUNCTION events_of(kind text) RETURNS SETOF events AS 'SELECT * FROM events WHERE events.event_type = events_of.kind' LANGUAGE sql";
const BY_OTHER_NAME = "CREATE FUNCTION events_of(kind text) RETURNS SETOF events AS 'SELECT * FROM events WHERE events.event_type = other_fn.kind' LANGUAGE sql";
// UPDATE's FROM and DELETE's USING cannot see the target (transformUpdateStmt(): p_lateral_only, not p_lateral_ok)
const UPDATE_FROM_SUBQUERY = 'UPDATE users u SET name = s.event_type FROM (SELECT * FROM events e WHERE e.user_id = u.user_id) s WHERE s.tenant_id = u.tenant_id';
const DELETE_USING_LATERAL = 'DELETE FROM users u USING LATERAL (SELECT * FROM events e WHERE e.user_id = u.user_id) s WHERE s.tenant_id = u.tenant_id';
const UPDATE_FROM_JOIN = 'UPDATE users u SET name = e.event_type FROM events e JOIN tenant_stats t ON t.tenant_id = u.tenant_id WHERE e.user_id = u.user_id';
// transformLockingClause: a relation FOR UPDATE names is one of the level's FROM items, by its alias if it has one
const LOCK_MISSING = 'SELECT tenant_id FROM events e FOR UPDATE OF nope';
const LOCK_UNALIASED = 'SELECT 1 FROM events e JOIN users u USING (tenant_id) FOR NO KEY UPDATE OF users';

export const cases: RuleTable = {
  valid: [
    { sql: 'SELECT pv.tenant_id FROM page_views pv' },
    { sql: 'SELECT page_views.tenant_id FROM page_views' },
    { sql: 'SELECT public.page_views.tenant_id FROM page_views' },
    // a correlated subquery sees the outer query's items
    { sql: 'SELECT tenant_id FROM tenant_stats t WHERE EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = t.tenant_id)' },
    { sql: BY_FUNCTION_NAME },
    // the target in WHERE, SET and RETURNING, and in a subquery there
    { sql: 'UPDATE users u SET name = e.event_type FROM events e WHERE e.user_id = u.user_id AND e.tenant_id = u.tenant_id AND EXISTS (SELECT 1 FROM events x WHERE x.user_id = u.user_id)' },
  ],
  invalid: [
    { sql: ALIASED, outcome: 'error', findings: [at(ALIASED, 'page_views.tenant_id')] },
    { sql: MISSING, method: 'error', findings: [at(MISSING, 'e.tenant_id'), at(MISSING, 'e.tenant_id', 2)] },
    { sql: JOIN_LATER, outcome: 'error', findings: [at(JOIN_LATER, 't.tenant_id')] },
    { sql: BY_OTHER_NAME, findings: [at(BY_OTHER_NAME, 'other_fn.kind')] },
    { sql: UPDATE_FROM_SUBQUERY, outcome: 'error', findings: [at(UPDATE_FROM_SUBQUERY, 'u.user_id')] },
    { sql: DELETE_USING_LATERAL, outcome: 'error', findings: [at(DELETE_USING_LATERAL, 'u.user_id')] },
    { sql: UPDATE_FROM_JOIN, outcome: 'error', findings: [at(UPDATE_FROM_JOIN, 'u.tenant_id')] },
    { sql: LOCK_MISSING, outcome: 'error', findings: [at(LOCK_MISSING, 'nope')] },
    { sql: LOCK_UNALIASED, outcome: 'error', findings: [at(LOCK_UNALIASED, 'OF users', 1, 3)] },
  ],
};

ruleTests('missing-from-entry', cases);
