CREATE TABLE page_views (
  tenant_id bigint NOT NULL,
  page_id bigint NOT NULL,
  view_time timestamptz NOT NULL DEFAULT now()
);
SELECT create_distributed_table('page_views', 'tenant_id');

CREATE TABLE daily_page_views (
  tenant_id bigint NOT NULL,
  day date NOT NULL,
  page_id bigint NOT NULL,
  view_count bigint NOT NULL,
  PRIMARY KEY (tenant_id, day, page_id)
);
SELECT create_distributed_table('daily_page_views', 'tenant_id', colocate_with => 'page_views');
