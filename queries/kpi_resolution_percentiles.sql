-- Contact resolution time (hours, resolved_at - contact_date): median and p90, which do not
-- add up across months, so they are computed here for each month of a range and for two
-- whole sets of months (the period and its comparison).
-- Grain: one row per (part, month, slice): part 'month' = one month of $start..$end,
--   'period' = all of $months, 'compare' = all of $compare_months (month is null for those).
-- Parameters: $as_of, $start/$end (first days of the first and last month), $months,
--   $compare_months (lists of first-of-month dates), $dimension (null or
--   channel|agent|topic), filters $channel $agent $topic (lists, null = all).
with resolutions as materialized (
    select
        _month as month,
        date_diff('second', contact_date, resolved_at) / 3600.0 as hours,
        case $dimension
            when 'channel' then channel
            when 'agent' then agent
            when 'topic' then topic
        end as slice
    from contacts_slice($as_of, f_channel := $channel, f_agent := $agent, f_topic := $topic)
    where resolved_at is not null
      and contact_date is not null
),

by_month as (
    select 'month' as part, month, slice,
        median(hours) as median_hours, quantile_cont(hours, 0.9) as p90_hours,
        count(*) as n
    from resolutions
    where month between $start and $end
    group by month, slice
),

by_period as (
    select 'period' as part, cast(null as date) as month, slice,
        median(hours) as median_hours, quantile_cont(hours, 0.9) as p90_hours,
        count(*) as n
    from resolutions
    where list_contains($months, month)
    group by slice
),

by_compare as (
    select 'compare' as part, cast(null as date) as month, slice,
        median(hours) as median_hours, quantile_cont(hours, 0.9) as p90_hours,
        count(*) as n
    from resolutions
    where list_contains($compare_months, month)
    group by slice
)

select * from by_month
union all
select * from by_period
union all
select * from by_compare
