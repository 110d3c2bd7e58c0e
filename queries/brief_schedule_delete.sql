-- Remove one brief schedule (its sends stay in the record). Grain: one row (name).
-- Parameters: $schedule.
delete from brief_schedules where name = $schedule
