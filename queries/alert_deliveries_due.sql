-- Deliveries waiting for their first try or a retry, due by $at, with their alert.
-- Grain: one row per delivery. Parameters: $at.
select d.alert_id, d.channel, d.target, d.attempts, a.kind, a.state, a.kpi, a.site,
       a.message, a.link
from alert_deliveries d
join alerts a using (alert_id)
where d.status in ('pending', 'retrying') and d.next_at <= $at
order by d.alert_id, d.channel, d.target
