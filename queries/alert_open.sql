-- The alert conditions that hold now (fired, not yet back to normal), with their alert.
-- A condition opened by a load since undone (the demo removed, say) no longer holds.
-- Grain: one row per condition. Parameters: none.
select o.condition_key, o.alert_id, a.rule_id, a.kpi, a.site, a.dataset, a.month,
       a.after_value
from alert_open o
join alerts a using (alert_id)
left join loads l on l.load_id = a.load_id
where l.undone_seq is null
