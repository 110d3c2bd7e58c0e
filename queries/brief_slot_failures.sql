-- How often a schedule's slot failed to send, and when last: its retries wait on these.
-- Grain: one row (schedule, slot). Parameters: $schedule, $slot.
select count(*) as failures, max("at") as last_at
from brief_sends
where schedule = $schedule and slot = $slot and status = 'failed'
