-- Save one brief schedule, in the caller's transaction (last_slot: the slot it starts after).
-- Grain: one row (name). Parameters: $schedule, $cron, $timezone, $view_url, $recipients,
-- $enabled, $last_slot, $user_name.
insert or replace into brief_schedules
    (name, cron, timezone, view_url, recipients, enabled, last_slot, saved_by, saved_at)
values ($schedule, $cron, $timezone, $view_url, $recipients, $enabled, $last_slot, $user_name,
        current_timestamp)
