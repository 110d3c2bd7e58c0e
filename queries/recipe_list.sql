-- The recipes in use: each one's latest version, with the loads made with any version.
-- Grain: a recipe. No parameters.
select r.name, r.version, r.dataset, r.fingerprints, r.created_by, r.created_at,
       (select count(*) from loads l where l.recipe = r.name) as loads
from recipes r
where r.deleted_at is null
  and r.version = (select max(version) from recipes x where x.name = r.name)
order by r.name
