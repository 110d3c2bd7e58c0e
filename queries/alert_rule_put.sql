-- Save one alert rule, in the caller's transaction. Grain: one row (rule_id).
-- Parameters: $rule_id, $kind, $kpi, $rule_site, $dataset, $threshold, $threshold_unit, $days,
-- $subscribers, $enabled, $user_name.
insert or replace into alert_rules
    (rule_id, kind, kpi, site, dataset, threshold, unit, days, subscribers, enabled,
     saved_by, saved_at)
values ($rule_id, $kind, $kpi, $rule_site, $dataset, $threshold, $threshold_unit, $days,
        $subscribers, $enabled, $user_name, current_timestamp)
