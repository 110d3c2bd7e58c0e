-- Monthly targets from the targets dataset (the plan as data) for a range of months.
-- Grain: one row per (kpi, month, site) as loaded; site null = company-wide.
-- Parameters: $as_of, $start/$end (first days of the first and last month).
with plan as (
    select kpi, _month as month, site, target, amber_threshold
    from targets_asof($as_of)
    where _month between $start and $end
      and kpi is not null
)

select kpi, month, site, target, amber_threshold
from plan
order by kpi, month, site
