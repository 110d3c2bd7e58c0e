-- Set one KPI owner (site '' = company-wide), in the caller's transaction.
-- Grain: one row (kpi, site). Parameters: $kpi, $owner_site, $owner, $email.
insert or replace into kpi_owners (kpi, site, owner, email)
values ($kpi, $owner_site, $owner, $email)
