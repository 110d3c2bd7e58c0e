-- The latest version of every live recipe, for matching a new file's layout.
-- Grain: a recipe. No parameters.
select r.name, r.version, r.toml, r.dataset, r.fingerprints, r.headers
from recipes r
where r.deleted_at is null
  and r.version = (select max(version) from recipes x where x.name = r.name)
order by r.name
