-- Keep a recipe as a new version (versions are never overwritten: loads name them).
-- Parameters: $recipe, $version, $toml, $dataset, $fingerprints, $user.
insert into recipes (name, version, toml, dataset, fingerprints, created_by, created_at)
values ($recipe, $version, $toml, $dataset, $fingerprints, $user, current_timestamp)
