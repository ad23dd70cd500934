import { at } from './at';
import { ruleTests } from './harness';

// Each case was run on Citus 13.2.2 and the row read back (test/cluster/citus.test.ts runs the first one live):
// the invalid ones write the columns named in the finding into each other, or fail on the shard; the valid ones
// write what they say.
const TABLE = "CREATE TABLE profiles (tenant_id int PRIMARY KEY, code varchar(10), label text, note text);\nSELECT create_distributed_table('profiles', 'tenant_id');\n";
// the varchar column comes first in the table: Citus prints it first, with the sub-SELECT as written
const SWAPPED = `${TABLE}UPDATE profiles SET (label, code) = (SELECT 'L', 'C') WHERE tenant_id = 1`;
const THREE = `${TABLE}UPDATE profiles SET (label, note, code) = (SELECT 'L', 'N', 'C') WHERE tenant_id = 1`;
// a plain assignment to a column before them: the group still starts at the varchar column
const WITH_PLAIN = "CREATE TABLE notes (tenant_id int PRIMARY KEY, note text, code varchar(10), label text);\nSELECT create_distributed_table('notes', 'tenant_id');\nUPDATE notes SET note = 'n', (label, code) = (SELECT 'L', 'C')";
// corpus tables: users.email is text, the value a varchar (a relabeling Citus does not see through)
const CORPUS = "UPDATE users SET (name, email) = (SELECT 'n', 'e'::varchar) WHERE tenant_id = 1";
const REFUSED = "CREATE TABLE counters (tenant_id int PRIMARY KEY, n int, code varchar(10));\nSELECT create_distributed_table('counters', 'tenant_id');\nUPDATE counters SET (n, code) = (SELECT 1, 'x') WHERE tenant_id = 1";

ruleTests('update-columns-misassigned', {
  valid: [
    // the columns in the order Citus prints them, or no conversion it cannot see through
    { sql: `${TABLE}UPDATE profiles SET (code, label) = (SELECT 'C', 'L') WHERE tenant_id = 1`, outcome: 'single_shard' },
    { sql: `${TABLE}UPDATE profiles SET (note, label) = (SELECT 'N', 'L') WHERE tenant_id = 1`, outcome: 'single_shard' },
    { sql: `${TABLE}UPDATE profiles SET (label, code) = (SELECT 'L'::text, 'C'::varchar(10)) WHERE tenant_id = 1`, outcome: 'single_shard' },
    // ROW(..) and a list of values are single assignments: nothing to reorder
    { sql: `${TABLE}UPDATE profiles SET (label, code) = ROW('L', 'C') WHERE tenant_id = 1`, outcome: 'single_shard' },
    { sql: `${TABLE}UPDATE profiles SET (label, code) = ('L', 'C') WHERE tenant_id = 1`, outcome: 'single_shard' },
    // a cast function (int -> numeric) is seen through
    { sql: 'UPDATE events SET (value, user_id) = (SELECT 1, 2) WHERE tenant_id = 1', outcome: 'single_shard' },
    // a plain table is not deparsed
    { sql: "CREATE TABLE profiles_local (tenant_id int PRIMARY KEY, code varchar(10), label text);\nUPDATE profiles_local SET (label, code) = (SELECT 'L', 'C') WHERE tenant_id = 1", outcome: 'local' },
  ],
  invalid: [
    { sql: SWAPPED, outcome: 'single_shard', findings: [at(SWAPPED, 'SET')] },
    { sql: THREE, outcome: 'single_shard', findings: [at(THREE, 'SET')] },
    { sql: WITH_PLAIN, outcome: 'multi_shard', findings: [at(WITH_PLAIN, 'SET')] },
    { sql: CORPUS, outcome: 'single_shard', findings: [at(CORPUS, 'SET')] },
    { sql: REFUSED, outcome: 'error', findings: [at(REFUSED, 'SET')] },
  ],
});
