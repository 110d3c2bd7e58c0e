-- KPI family "contacts": monthly components of the contact-centre KPIs.
-- Grain: one row per month (and per slice of $dimension when it is given).
--   Abandonment needs `answered` known; speed of answer, handle time, resolved and FCR
--   count contacts not marked unanswered (exports without an answered column count all);
--   CSAT uses scores on the 1-5 scale only. Service level = served contacts whose wait is
--   at most $threshold_seconds, over served contacts with a wait.
-- Parameters: $as_of, $start/$end (first days of the first and last month), $dimension
--   (null or channel|agent|topic), filters $channel $agent $topic (lists, null = all),
--   $threshold_seconds (the service-level threshold).
with contacts as (
    select
        _month as month,
        cast(contact_date as date) as day,
        answered,
        answered is not false as served,
        resolved,
        first_contact_resolved,
        wait_seconds,
        handle_seconds,
        sla_met,
        case when csat between 1 and 5 then csat end as csat,
        case $dimension
            when 'channel' then channel
            when 'agent' then agent
            when 'topic' then topic
        end as slice
    from contacts_slice($as_of, f_channel := $channel, f_agent := $agent, f_topic := $topic)
    where _month between $start and $end
)

select
    month,
    slice,
    count(*) as rows,
    max(day) as last_date,
    count(*) filter (where answered = false) as abandoned,
    count(answered) as answered_known,
    sum(wait_seconds) filter (where served) as wait_sum,
    count(wait_seconds) filter (where served) as wait_n,
    count(*) filter (where served and wait_seconds <= $threshold_seconds) as sl_within,
    count(wait_seconds) filter (where served) as sl_n,
    sum(handle_seconds) filter (where served) as handle_sum,
    count(handle_seconds) filter (where served) as handle_n,
    count(*) filter (where served and resolved) as resolved,
    count(resolved) filter (where served) as resolved_known,
    count(*) filter (where served and first_contact_resolved) as fcr,
    count(first_contact_resolved) filter (where served) as fcr_known,
    count(*) filter (where sla_met) as sla_met,
    count(sla_met) as sla_known,
    count(*) filter (where csat >= 4) as csat_good,
    count(csat) as csat_n,
    sum(csat) as csat_sum
from contacts
group by month, slice
order by month, slice
