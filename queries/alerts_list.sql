-- Alerts, newest first, with how their deliveries went. Filters are NULL for "all".
-- Grain: one row per alert. Parameters: $kpi_filter, $state_filter, $kind_filter, $limit.
select a.alert_id, a.created_at, a.kind, a.state, a.kpi, a.site, a.dataset, a.month,
       a.load_id, a.seq, a.before_value, a.after_value, a.message, a.link, a.rule_id,
       coalesce(list(d.channel || ' ' || d.target || ': ' || d.status
                     || coalesce(' (' || d.last_error || ')', ''))
                filter (where d.alert_id is not null), []) as deliveries,
       case
           when count(d.alert_id) = 0 then 'in app'
           when bool_or(d.status = 'failed') then 'delivery failed'
           when bool_or(d.status = 'retrying') then 'delivery failed, retrying'
           when bool_or(d.status = 'pending') then 'sending'
           else 'delivered'
       end as delivery
from alerts a
left join alert_deliveries d using (alert_id)
where ($kpi_filter is null or a.kpi = $kpi_filter)
  and ($state_filter is null or a.state = $state_filter)
  and ($kind_filter is null or a.kind = $kind_filter)
group by all
order by a.alert_id desc
limit $limit
