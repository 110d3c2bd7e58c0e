-- Forget one settings key (grain: one row) (its items moved to saved_items). Parameters: $key.
delete from settings
where key = $key
