-- Queue one delivery of an alert (e-mail to one address, or the webhook), in the caller's
-- transaction, due at $next_at. Grain: one row (alert, channel, target).
-- Parameters: $alert_id, $delivery_channel, $target, $next_at.
insert or ignore into alert_deliveries
    (alert_id, channel, target, status, attempts, next_at)
values ($alert_id, $delivery_channel, $target, 'pending', 0, $next_at)
