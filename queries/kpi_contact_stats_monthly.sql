-- KPI family "contact_stats": monthly components of the contact-centre KPIs from aggregated
-- ACD rows (per interval, day or agent), named like the "contacts" family's so that a KPI
-- adds the two as one ratio of sums.
-- Grain: one row per month (and per slice of $dimension when it is given).
--   Calls, not rows, are counted: abandoned = abandoned (else offered - answered) over the
--   offered calls of rows where either is known. Averages are weighted by answered calls
--   (answered, else offered - abandoned): wait_sum = sum(asa_seconds x answered) over
--   wait_n = sum(answered) of rows with an ASA; handle time likewise; service level =
--   sum(service_level_pct / 100 x answered) over sum(answered) of rows with a service level,
--   for rows whose threshold is blank or $threshold_seconds (another threshold is another
--   measure). Never the mean of the rows' own percentages or averages.
-- Parameters: $as_of, $start/$end (first days of the first and last month), $dimension
--   (null or channel|agent), filters $channel $agent (lists, null = all),
--   $threshold_seconds (the service-level threshold of the KPI).
with rows_in as (
    select
        _month as month,
        -- a row with only a month has no day: it cannot make its month look partial
        cast(interval_start as date) as day,
        offered,
        coalesce(abandoned, offered - answered) as abandoned,
        coalesce(answered, offered - abandoned) as answered,
        asa_seconds,
        aht_seconds,
        case
            when threshold_seconds is null or threshold_seconds = $threshold_seconds
                then service_level_pct
        end as service_level_pct,
        case $dimension
            when 'channel' then channel
            when 'agent' then agent
        end as slice
    from contact_stats_slice($as_of, f_channel := $channel, f_agent := $agent)
    where _month between $start and $end
)

select
    month,
    slice,
    count(*) as rows,
    max(day) as last_date,
    sum(offered) as offered,
    sum(abandoned) filter (where offered is not null) as abandoned,
    sum(offered) filter (where abandoned is not null) as answered_known,
    sum(asa_seconds * answered) as wait_sum,
    sum(answered) filter (where asa_seconds is not null) as wait_n,
    sum(aht_seconds * answered) as handle_sum,
    sum(answered) filter (where aht_seconds is not null) as handle_n,
    sum(service_level_pct / 100.0 * answered) as sl_within,
    sum(answered) filter (where service_level_pct is not null) as sl_n
from rows_in
group by month, slice
order by month, slice
