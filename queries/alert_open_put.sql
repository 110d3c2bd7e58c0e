-- Mark a condition as holding since alert $alert_id, in the caller's transaction.
-- Grain: one row (condition). Parameters: $condition_key, $alert_id.
insert or replace into alert_open (condition_key, alert_id)
values ($condition_key, $alert_id)
