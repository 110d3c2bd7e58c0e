-- The layouts a recipe version was confirmed for (a layout does not change what it makes).
-- Parameters: $recipe, $version, $fingerprints.
update recipes set fingerprints = $fingerprints where name = $recipe and version = $version
