-- Remove one kept item. Parameters: $kind, $name.
delete from saved_items
where kind = $kind and name = $name
