-- The file a load came from and the digest its original bytes are kept under.
-- Grain: at most one row (a load). Parameters: $load_id.
select file, sha256
from loads
where load_id = $load_id
