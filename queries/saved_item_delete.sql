-- Remove one kept item (grain: one row, kind and name). Parameters: $kind, $item_name.
delete from saved_items
where kind = $kind and name = $item_name
