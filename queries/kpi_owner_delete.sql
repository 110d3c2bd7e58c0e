-- Remove one KPI owner, in the caller's transaction. Grain: one row (kpi, site).
-- Parameters: $kpi, $owner_site.
delete from kpi_owners
where kpi = $kpi and site = $owner_site
