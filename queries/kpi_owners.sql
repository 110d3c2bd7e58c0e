-- Every KPI owner: company-wide (site '') and per site. Grain: one row per (kpi, site).
-- Parameters: none.
select kpi, site, owner, email
from kpi_owners
order by kpi, site
