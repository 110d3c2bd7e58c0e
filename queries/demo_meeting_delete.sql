-- The demo's meeting packs, in the caller's transaction (after their actions).
-- Grain: the rows deleted. Parameters: $user_name (the demo's seeding user).
delete from meeting_packs
where created_by = $user_name
