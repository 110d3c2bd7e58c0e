-- Forget one settings key (its items moved to saved_items). Parameters: $key.
delete from settings
where key = $key
