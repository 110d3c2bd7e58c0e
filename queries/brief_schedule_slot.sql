-- A schedule's newest slot sent (or given up on), never moved back.
-- Grain: one row (name). Parameters: $schedule, $slot.
update brief_schedules
set last_slot = greatest(coalesce(last_slot, $slot), $slot)
where name = $schedule
