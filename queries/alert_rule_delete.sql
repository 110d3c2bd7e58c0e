-- Remove one saved alert rule, in the caller's transaction. Grain: one row (rule_id).
-- Parameters: $rule_id.
delete from alert_rules
where rule_id = $rule_id
