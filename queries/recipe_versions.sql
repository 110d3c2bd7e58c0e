-- Every version of one recipe, newest first (deleted ones too: loads still name them).
-- Grain: a version. Parameters: $recipe.
select name, version, toml, dataset, fingerprints, headers, created_by, created_at, deleted_at
from recipes
where name = $recipe
order by version desc
