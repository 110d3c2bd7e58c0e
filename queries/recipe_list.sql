-- The recipes in use: each one's latest version, the layouts it matches, the loads made with
-- any version and when one was last made.
-- Grain: a recipe. No parameters.
select r.name, r.version, r.dataset, r.fingerprints, r.created_by, r.created_at,
       coalesce(len(r.fingerprints), 0) as layouts,
       (select count(*) from loads l where l.recipe = r.name) as loads,
       (select max(l.loaded_at) from loads l where l.recipe = r.name) as last_used
from recipes r
where r.deleted_at is null
  and r.version = (select max(version) from recipes x where x.name = r.name)
order by r.name
