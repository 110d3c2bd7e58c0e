-- The sends of briefs, newest first; one schedule's with $schedule_filter (null: all).
-- Grain: one row per send. Parameters: $schedule_filter, $limit.
select send_id, schedule, slot, "at", trigger, coalesce(recipients, []) as recipients,
       status, error, link, version, pdf_bytes
from brief_sends
where $schedule_filter is null or schedule = $schedule_filter
order by send_id desc
limit $limit
