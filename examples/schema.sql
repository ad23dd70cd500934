-- Raw events: one row per page view, sharded by tenant.
CREATE TABLE page_views (
    tenant_id int,
    page_id int,
    host_ip inet,
    view_time timestamp DEFAULT now()
);
CREATE INDEX view_tenant_idx ON page_views (tenant_id);
CREATE INDEX view_time_idx ON page_views USING BRIN (view_time);
SELECT create_distributed_table('page_views', 'tenant_id');

-- The daily rollup, distributed on the same column: Citus colocates it with page_views.
CREATE TABLE daily_page_views (
    tenant_id int,
    day date,
    page_id int,
    view_count bigint,
    PRIMARY KEY (tenant_id, day, page_id)
);
SELECT create_distributed_table('daily_page_views', 'tenant_id');

-- Static page details, joined on (tenant_id, page_id).
CREATE TABLE pages (
    tenant_id int,
    page_id int,
    url text,
    language varchar(2),
    PRIMARY KEY (tenant_id, page_id)
);
SELECT create_distributed_table('pages', 'tenant_id');

-- Bookkeeping for the incremental rollup (a plain table on the coordinator).
CREATE TABLE aggregations (name regclass PRIMARY KEY, last_update timestamp);

-- A per-language rollup and a table that is distributed differently.
CREATE TABLE daily_language_views (
    tenant_id int,
    day date,
    language varchar(2),
    view_count bigint,
    PRIMARY KEY (tenant_id, day, language)
);
SELECT create_distributed_table('daily_language_views', 'tenant_id', colocate_with => 'page_views');

CREATE TABLE page_views_by_page (
    page_id bigint,
    tenant_id int,
    view_count bigint
);
SELECT create_distributed_table('page_views_by_page', 'page_id');
