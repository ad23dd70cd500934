import { at } from './at';
import { ruleTests } from './harness';

const TYPO = 'INSERT INTO tenant_stats (tenant_id, event_count) SELEC tenant_id, count(*) FROM events GROUP BY tenant_id';
// the other statements of the file are still analysed
const MIDDLE = `INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events;
INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM FROM events;
INSERT INTO tenant_stats (tenant_id) SELECT tenant_id FROM events LIMIT 1;`;
// the disable comment does not hide syntax errors
const DISABLED = `-- citus-rollups-disable-next-statement
INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id,, count(*) FROM events`;

ruleTests('syntax-error', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id', method: 'pushdown' },
    // psql meta-commands and variables are not SQL syntax errors
    { sql: "\\set tenant 5\nINSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events WHERE tenant_id = :tenant GROUP BY tenant_id" },
    {
      sql: `CREATE FUNCTION roll() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id;
END;
$$;`,
    },
  ],
  invalid: [
    { sql: TYPO, findings: [at(TYPO, 'SELEC')] },
    { sql: MIDDLE, method: 'pushdown', findings: [at(MIDDLE, 'FROM FROM', 1, 5)] },
    { sql: DISABLED, findings: [at(DISABLED, ',,', 1, 1)] },
  ],
});

// regression (fixed in the predictor after these tables found it): a syntax error at the end of the input gets an empty range
// (start = end = the end of the statement), so editors have nothing to underline (and the rule
// harness rejects it); expected a non-empty range on the last token (the trailing comma).
const AT_END = `INSERT INTO tenant_stats (tenant_id, event_count)
SELECT tenant_id, count(*) FROM events GROUP BY tenant_id,`;
// regression (fixed in the predictor after these tables found it): a syntax error inside a PL/pgSQL function body is reported at the start of the
// body ($$ on line 1) instead of at the offending token (SELEC on line 3).
const IN_BODY = `CREATE FUNCTION roll() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tenant_stats (tenant_id, event_count) SELEC tenant_id;
END;
$$;`;
describe('regression: syntax-error positions at the end of input and in function bodies', () => {
  ruleTests('syntax-error', {
    valid: [],
    invalid: [
      { sql: AT_END, findings: [at(AT_END, 'tenant_id,', 3, 9)] },
      { sql: IN_BODY, findings: [at(IN_BODY, 'SELEC')] },
    ],
  });
});
