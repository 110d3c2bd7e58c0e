-- Downtime Pareto: minutes by cause over a set of months, largest first, with shares.
-- Grain: one row per cause (a missing cause is reported as '(no cause)').
-- Parameters: $as_of, $months (list of first-of-month dates), filters $site $line $cause.
with events as (
    select
        coalesce(cause, '(no cause)') as cause,
        minutes
    from downtime_slice($as_of, f_site := $site, f_line := $line, f_cause := $cause)
    where list_contains($months, _month)
      and minutes is not null
),

by_cause as (
    select cause, sum(minutes) as minutes
    from events
    group by cause
),

ranked as (
    select
        cause,
        minutes,
        minutes / nullif(sum(minutes) over (), 0) as share,
        row_number() over (order by minutes desc, cause) as rank
    from by_cause
)

select
    cause,
    minutes,
    share,
    sum(share) over (order by rank rows between unbounded preceding and current row)
        as cumulative_share
from ranked
order by rank
