-- What-if: the agents seen per month (distinct agent names on contacts and contact-centre
-- statistics), the headcount the queue model starts from when Settings give none. A driver
-- input, not a KPI: every KPI the what-if uses comes from the kpi_*_monthly components.
-- Grain: one row per month with at least one named agent.
-- Parameters: $as_of, filters $channel $agent $topic (lists, null = all; each narrows the
--   datasets that have the column, as every what-if filter does).
with named as (
    select _month as month, agent
    from contacts_slice($as_of, f_channel := $channel, f_agent := $agent, f_topic := $topic)
    union all
    select _month, agent
    from contact_stats_slice($as_of, f_channel := $channel, f_agent := $agent)
)

select month, count(distinct agent) as agents
from named
where month is not null and agent is not null
group by month
order by month
