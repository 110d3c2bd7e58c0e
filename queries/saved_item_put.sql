-- Write one kept item, replacing the one of that kind and name (run in the saver's
-- transaction, after its permission check read the row). Grain: one row (kind, name).
-- Parameters: $kind, $item_name, $owner, $shared, $value (JSON text), $saved_at (ISO text).
insert or replace into saved_items (kind, name, owner, shared, value, saved_at)
values ($kind, $item_name, $owner, $shared, $value, $saved_at)
