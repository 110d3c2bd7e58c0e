-- One action by id (empty when there is none). Grain: one row per action.
-- Parameters: $action_id.
select action_id, kpi, what, owner, due, note, link, seq, pack_id, state, raised_by,
       raised_at, done_by, done_at
from actions
where action_id = $action_id
