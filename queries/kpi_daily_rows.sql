-- Rows per day of the datasets dated by day: the shape of a month (day of week) that the
-- forecast to period end and the pacing target read (cockpit/kpis/forecast.py).
-- Grain: one row per (dataset, day) with at least one row; company-wide (no filters: the
--   week's shape is the company's, the amounts come from the filtered monthly components).
-- Parameters: $as_of (version), $start/$end (first days of the first and last month).
with days as (
    select 'orders' as dataset, cast(order_date as date) as day
    from orders_asof($as_of) where _month between $start and $end
    union all
    select 'production', cast(date as date)
    from production_asof($as_of) where _month between $start and $end
    union all
    select 'downtime', cast(date as date)
    from downtime_asof($as_of) where _month between $start and $end
    union all
    select 'contacts', cast(contact_date as date)
    from contacts_asof($as_of) where _month between $start and $end
    union all
    select 'surveys', cast(response_date as date)
    from surveys_asof($as_of) where _month between $start and $end
)

select dataset, day, count(*) as rows
from days
where day is not null
group by dataset, day
order by dataset, day
