-- LIMIT needs a global view of the rows: Citus pulls them through the coordinator.
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date, page_id, count(*)
  FROM page_views
  GROUP BY tenant_id, view_time::date, page_id
  LIMIT 1000;
