-- The kept items of one kind, newest first.
-- Grain: one row per item name. Parameters: $kind.
select name, owner, shared, value, saved_at
from saved_items
where kind = $kind
order by saved_at desc, name
