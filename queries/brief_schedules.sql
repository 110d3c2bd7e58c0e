-- The brief schedules saved in Settings (times UTC).
-- Grain: one row per schedule. Parameters: none.
select name, cron, timezone, view_url, coalesce(recipients, []) as recipients, enabled,
       last_slot, saved_by, saved_at
from brief_schedules
order by name
