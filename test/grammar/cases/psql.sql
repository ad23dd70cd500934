\set ON_ERROR_STOP on
\set tenant 42
\i schema.sql
\ir ./rollups.sql
\copy page_views FROM 'data/page_views.csv' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS n FROM page_views WHERE tenant_id = :tenant \gset
\echo rows: :n
\if :{?tenant}
  SELECT :'tenant' AS literal, * FROM :"table_name" WHERE created_at::date > now()::date - 1;
\endif
\set a 1 \\ SELECT 1;
\d+ page_views
\! echo `date`
-- \set inside a comment is a comment
SELECT '\set inside a string', ':not_a_var';
