-- Retire a recipe: its versions stay (loads name them) but it is no longer offered.
-- Parameters: $recipe.
update recipes set deleted_at = current_timestamp where name = $recipe and deleted_at is null
