-- The alert rules saved in Settings (the defaults are added in cockpit/alerts/rules.py).
-- Grain: one row per rule. Parameters: none.
select rule_id, kind, kpi, site, dataset, threshold, unit, days,
       coalesce(subscribers, []) as subscribers, enabled
from alert_rules
order by rule_id
