import { at } from './at';
import { ruleTests } from './harness';

const NO_TENANT = 'COPY events (event_id, user_id, event_type, created_at) FROM STDIN';
const PAGE_VIEWS = "COPY page_views (page_id, host_ip) FROM STDIN WITH (FORMAT csv)";
const NULL_DATA = 'COPY events (tenant_id, event_id, created_at) FROM STDIN;\n1\t1\t2024-01-01\n\\N\t2\t2024-01-01\n\\.\n';

ruleTests('copy-without-dist-column', {
  valid: [
    { sql: 'COPY events (tenant_id, event_id, user_id, event_type, value, created_at) FROM STDIN', outcome: 'multi_shard' },
    { sql: 'COPY events FROM STDIN', outcome: 'multi_shard' },
    // data of one tenant goes to one shard
    { sql: 'COPY events (tenant_id, event_id, created_at) FROM STDIN;\n7\t1\t2024-01-01\n7\t2\t2024-01-01\n\\.\n', outcome: 'single_shard' },
    { sql: 'COPY ref_tenants (tenant_id, tenant_name) FROM STDIN', outcome: 'single_shard' },
    { sql: 'COPY local_config (setting) FROM STDIN', outcome: 'local' },
  ],
  invalid: [
    { sql: NO_TENANT, outcome: 'error', findings: [at(NO_TENANT, 'event_id')] },
    { sql: PAGE_VIEWS, outcome: 'error', findings: [at(PAGE_VIEWS, 'page_id')] },
    { sql: NULL_DATA, outcome: 'error', findings: [at(NULL_DATA, 'events')] },
  ],
});
