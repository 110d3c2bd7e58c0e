-- Names the sign-in brake locks right now (Settings lists them for an admin to unlock).
-- Grain: one row per (lowercased) name. Parameters: $now (wall-clock seconds).
select name, failures, locked_until
from login_failures
where locked_until > $now
order by name
