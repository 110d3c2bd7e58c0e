-- Keep a recipe as a new version (versions are never overwritten: loads name them).
-- Parameters: $recipe, $version, $toml, $dataset, $fingerprints, $headers, $user.
insert into recipes (name, version, toml, dataset, fingerprints, headers, created_by, created_at)
values ($recipe, $version, $toml, $dataset, $fingerprints, $headers, $user, current_timestamp)
