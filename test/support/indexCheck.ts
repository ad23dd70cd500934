/**
 * Loaded before every test file (.mocharc.json): the schema model's indexes (SchemaModel.keyNameTaken) answer and
 * are checked against a pass over the tables on every question the suite asks; after the suite, any difference fails it.
 */
import { strict as assert } from 'node:assert';
import { checkIndexes, indexMismatches } from '../../src/core/schema/model';

checkIndexes(true);

export const mochaHooks = {
  afterAll(): void {
    assert.deepEqual(indexMismatches.slice(0, 10), [], `the schema model's indexes answered ${indexMismatches.length} question(s) differently from its tables`);
  },
};
