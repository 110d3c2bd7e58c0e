-- How many alerts came after alert $seen_id (a user's last visit). Grain: one row.
-- Parameters: $seen_id.
select count(*) as new_alerts, coalesce(max(alert_id), $seen_id) as newest
from alerts
where alert_id > $seen_id
