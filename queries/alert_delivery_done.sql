-- The outcome of one delivery attempt: sent, retrying (with the next try) or failed.
-- Grain: one row (alert, channel, target). Parameters: $alert_id, $delivery_channel, $target,
-- $status, $next_at, $error.
update alert_deliveries
set status = $status,
    attempts = attempts + 1,
    next_at = $next_at,
    last_error = $error,
    sent_at = case when $status = 'sent' then current_timestamp else sent_at end
where alert_id = $alert_id and channel = $delivery_channel and target = $target
