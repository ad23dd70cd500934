-- Each of these runs, but not as a parallel pushdown. Hover the INSERT to see why.

-- LIMIT needs a global view of the rows: Citus pulls them through the coordinator.
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date, page_id, count(*)
  FROM page_views
  GROUP BY tenant_id, view_time::date, page_id
  LIMIT 1000;

-- GROUP BY without the distribution column: the groups span shards, so they merge on the coordinator.
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT min(tenant_id), view_time::date, page_id, count(*)
  FROM page_views
  GROUP BY view_time::date, page_id;

-- A top-level UNION ALL is planned as a repartition; wrapped in a FROM subquery it pushes down.
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date, page_id, 1 FROM page_views WHERE page_id < 10
  UNION ALL
  SELECT tenant_id, view_time::date, page_id, 1 FROM page_views WHERE page_id > 1000;

-- The target is distributed by page_id (bigint): not colocated with page_views.
INSERT INTO page_views_by_page (page_id, tenant_id, view_count)
  SELECT page_id, tenant_id, count(*)
  FROM page_views
  GROUP BY page_id, tenant_id;

-- The distribution column is left out: every row fails.
INSERT INTO daily_page_views (day, page_id, view_count)
  SELECT view_time::date, page_id, count(*)
  FROM page_views
  GROUP BY tenant_id, view_time::date, page_id;
