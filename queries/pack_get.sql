-- One meeting pack by id (empty when there is none). Grain: one row per pack.
-- Parameters: $pack_id.
select pack_id, name, seq, view, agenda, changes, prev_pack_id, created_by, created_at
from meeting_packs
where pack_id = $pack_id
