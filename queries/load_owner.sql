-- Who made a load (undo: analysts their own, admins any).
-- Grain: at most one row (a load). Parameters: $load_id.
select "user"
from loads
where load_id = $load_id
