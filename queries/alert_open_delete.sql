-- A condition is back to normal, in the caller's transaction. Grain: one row (condition).
-- Parameters: $condition_key.
delete from alert_open
where condition_key = $condition_key
