-- KPI family "production": monthly components of OEE, its factors and utilisation.
-- Grain: one row per month (and per slice of $dimension when it is given).
--   planned = planned_minutes, else end - start; run = run_minutes, else planned - downtime;
--   ideal = ideal_minutes, else units / ideal_rate_per_minute; good = good_units, else
--   units - scrap_units. Each ratio sums only rows where both of its sides are known.
-- Parameters: $as_of, $start/$end (first days of the first and last month), $dimension
--   (null or site|line|product), filters $site $line $product (lists, null = all).
with runs as (
    select
        _month as month,
        date,
        units,
        coalesce(planned_minutes, date_diff('second', start_time, end_time) / 60.0) as planned,
        run_minutes,
        downtime_minutes,
        coalesce(ideal_minutes, units / nullif(ideal_rate_per_minute, 0)) as ideal,
        coalesce(good_units, units - scrap_units) as good,
        case $dimension
            when 'site' then site
            when 'line' then line
            when 'product' then product
        end as slice
    from production_slice($as_of, f_site := $site, f_line := $line, f_product := $product)
    where _month between $start and $end
),

runs_known as (
    select
        *,
        coalesce(run_minutes, planned - downtime_minutes) as run
    from runs
)

select
    month,
    slice,
    count(*) as rows,
    max(date) as last_date,
    sum(planned) filter (where run is not null) as avail_planned,
    sum(run) filter (where planned is not null) as avail_run,
    sum(ideal) filter (where run is not null) as perf_ideal,
    sum(run) filter (where ideal is not null) as perf_run,
    sum(good) filter (where units is not null) as quality_good,
    sum(units) filter (where good is not null) as quality_units
from runs_known
group by month, slice
order by month, slice
