-- Write one kept item, replacing the one of that kind and name (run in the saver's
-- transaction, after its permission check read the row). Parameters: $kind, $name, $owner,
-- $shared, $value (JSON text), $saved_at (ISO text).
insert or replace into saved_items (kind, name, owner, shared, value, saved_at)
values ($kind, $name, $owner, $shared, $value, $saved_at)
