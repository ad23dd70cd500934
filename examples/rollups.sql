-- Populate the rollup from all raw data: pushed down to every shard in parallel.
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date AS day, page_id, count(*) AS view_count
  FROM page_views
  GROUP BY tenant_id, view_time::date, page_id;

-- Keep it up to date: aggregate one hour and add the counts to the rows that exist.
INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date AS day, page_id, count(*) AS view_count
  FROM page_views
  WHERE view_time >= '2016-11-23 23:00:00' AND view_time < '2016-11-24 00:00:00'
  GROUP BY tenant_id, view_time::date, page_id
  ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET
  view_count = daily_page_views.view_count + EXCLUDED.view_count;

-- A join with a colocated table on the distribution column also pushes down.
INSERT INTO daily_language_views (tenant_id, day, language, view_count)
  SELECT v.tenant_id, v.view_time::date, p.language, count(*)
  FROM page_views v JOIN pages p ON p.tenant_id = v.tenant_id AND p.page_id = v.page_id
  GROUP BY v.tenant_id, v.view_time::date, p.language
  ON CONFLICT (tenant_id, day, language) DO UPDATE SET
  view_count = daily_language_views.view_count + EXCLUDED.view_count;

INSERT INTO aggregations VALUES ('daily_page_views', now());

-- The incremental rollup: everything up to a minute ago, from where the last run stopped.
CREATE OR REPLACE FUNCTION compute_daily_view_counts()
RETURNS void LANGUAGE plpgsql AS $function$
DECLARE
  start_time timestamp;
  end_time timestamp := now() - interval '1 minute'; -- exclude in-flight requests
BEGIN
  SELECT last_update INTO start_time FROM aggregations WHERE name = 'daily_page_views'::regclass;
  UPDATE aggregations SET last_update = end_time WHERE name = 'daily_page_views'::regclass;

  EXECUTE $$
    INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
      SELECT tenant_id, view_time::date AS day, page_id, count(*) AS view_count
      FROM page_views
      WHERE view_time >= $1 AND view_time < $2
      GROUP BY tenant_id, view_time::date, page_id
      ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET
      view_count = daily_page_views.view_count + EXCLUDED.view_count$$
  USING start_time, end_time;
END;
$function$;
