/** The status bar item's words (pure): what is counted, and a screen-reader label without icons or Markdown. */
import { strict as assert } from 'node:assert';
import { statusPresentation } from '../../src/client/statusText';
import type { StatusParams } from '../../src/protocol';

const base: StatusParams = {
  uri: 'file:///w/does-not-push-down.sql',
  enabled: true,
  schema: { source: '3 schema files', tables: 6 },
  findings: { error: 1, warning: 2, information: 2, hint: 1 },
  insertSelects: 5,
};

describe('status bar item', () => {
  it('counts the findings of the file the Problems panel lists, and says so', () => {
    const s = statusPresentation(base);
    assert.equal(s.text, '$(database) Citus: 3 schema files · this file: $(error) 1 $(warning) 2 $(info) 2');
    assert.deepEqual(s.lines, [
      'Schema: 3 schema files, 6 tables',
      'This file: 1 error, 2 warnings, 2 information findings (and 1 hint, not in the Problems panel)',
      'INSERT..SELECT statements in this file: 5',
    ]);
  });

  it('gives screen readers plain words: no icon syntax, Markdown or &nbsp;', () => {
    const { label } = statusPresentation(base);
    assert.equal(label, 'Citus Rollups. Schema: 3 schema files, 6 tables. This file: 1 error, 2 warnings, 2 information findings. Shows the output.');
    assert.doesNotMatch(label, /\$\(|\*\*|&nbsp;|\\/);
  });

  it('shows no count for a clean file, and the schema problem when there is one', () => {
    const s = statusPresentation({ ...base, schema: { source: 'snapshot + 1 schema file', tables: 1, error: 'cannot read snapshot meta/x.json: ENOENT' }, findings: { error: 0, warning: 0, information: 0, hint: 0 } });
    assert.equal(s.text, '$(warning) Citus: snapshot + 1 schema file');
    assert.match(s.label, /This file: no findings/);
    assert.ok(s.lines.includes('Schema problem: cannot read snapshot meta/x.json: ENOENT'));
    assert.equal(statusPresentation({ ...base, enabled: false }).text, '$(circle-slash) Citus: off');
  });
});
