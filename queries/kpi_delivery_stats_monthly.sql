-- KPI family "delivery_stats": monthly on-time components from aggregated punctuality counts
-- (planned, cancelled, late or on-time per month and route), named like the "orders"
-- family's so that on-time adds the two as one ratio of sums.
-- Grain: one row per month (and per slice of $dimension when it is given).
--   eligible = planned - cancelled (blank cancelled = 0); on time = the on-time count, else
--   eligible - late; rows without planned, or without both late and on-time, are left out.
-- Parameters: $as_of, $start/$end (first days of the first and last month), $dimension
--   (null or site|channel), filters $site $channel (lists, null = all).
with counts as (
    select
        _month as month,
        planned - coalesce(cancelled, 0) as eligible,
        coalesce(on_time, planned - coalesce(cancelled, 0) - late) as on_time,
        case $dimension
            when 'site' then site
            when 'channel' then channel
        end as slice
    from delivery_stats_slice($as_of, f_site := $site, f_channel := $channel)
    where _month between $start and $end
)

select
    month,
    slice,
    count(*) as rows,
    -- counts are dated to their month only: no day to judge a partial month by
    cast(null as date) as last_date,
    sum(on_time) filter (where eligible is not null) as on_time,
    sum(eligible) filter (where on_time is not null) as on_time_known
from counts
group by month, slice
order by month, slice
