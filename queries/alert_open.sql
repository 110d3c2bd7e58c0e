-- The alert conditions that hold now (fired, not yet back to normal), with their alert.
-- Grain: one row per condition. Parameters: none.
select o.condition_key, o.alert_id, a.rule_id, a.kpi, a.site, a.dataset, a.month,
       a.after_value
from alert_open o
join alerts a using (alert_id)
