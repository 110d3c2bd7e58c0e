-- KPI family "downtime": monthly downtime minutes from the downtime log.
-- Grain: one row per month (and per slice of $dimension when it is given).
-- Parameters: $as_of, $start/$end (first days of the first and last month), $dimension
--   (null or site|line|cause), filters $site $line $cause (lists, null = all).
with events as (
    select
        _month as month,
        date,
        minutes,
        case $dimension
            when 'site' then site
            when 'line' then line
            when 'cause' then cause
        end as slice
    from downtime_slice($as_of, f_site := $site, f_line := $line, f_cause := $cause)
    where _month between $start and $end
)

select
    month,
    slice,
    count(*) as rows,
    max(date) as last_date,
    sum(minutes) as minutes
from events
group by month, slice
order by month, slice
