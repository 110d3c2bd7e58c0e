-- Record one alert, in the caller's transaction; returns its id.
-- Grain: one row. Parameters: $rule_id, $kind, $condition_key, $state, $kpi, $alert_site,
-- $dataset, $month, $load_id, $seq, $before_value, $after_value, $message, $link.
insert into alerts
    (alert_id, rule_id, kind, condition_key, state, kpi, site, dataset, month, load_id, seq,
     before_value, after_value, message, link, created_at)
values (nextval('alert_ids'), $rule_id, $kind, $condition_key, $state, $kpi, $alert_site,
        $dataset, $month, $load_id, $seq, $before_value, $after_value, $message, $link,
        current_timestamp)
returning alert_id
