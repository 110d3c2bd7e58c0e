-- The actions of the demo's meeting packs (raised by the seeding or in those meetings), in
-- the caller's transaction: they go with the demo data. Grain: the rows deleted.
-- Parameters: $user_name (the demo's seeding user).
delete from actions
where pack_id in (select pack_id from meeting_packs where created_by = $user_name)
