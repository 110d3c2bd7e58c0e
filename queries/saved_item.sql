-- One kept item (a saved view, scenario or query, a custom metric, a Settings target).
-- Grain: at most one row (kind, name). Parameters: $kind, $item_name.
select name, owner, shared, value, saved_at
from saved_items
where kind = $kind and name = $item_name
