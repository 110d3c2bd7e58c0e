-- The live recipe whose latest version was saved for a layout fingerprint.
-- Grain: at most one row. Parameters: $fingerprint.
select r.name, r.version, r.toml
from recipes r
where r.deleted_at is null
  and list_contains(r.fingerprints, $fingerprint)
  and r.version = (select max(version) from recipes x where x.name = r.name)
order by r.created_at desc
limit 1
