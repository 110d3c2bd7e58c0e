-- The layouts a recipe version was confirmed for (a layout does not change what it makes).
-- Parameters: $recipe, $version, $fingerprints, $headers.
update recipes set fingerprints = $fingerprints, headers = coalesce($headers, headers)
where name = $recipe and version = $version
