-- One load as the alert rules read it: its version, dataset, rows and rejects.
-- Grain: at most one row (a load). Parameters: $load_id.
select load_id, seq, dataset, status, rows_loaded, rows_rejected, is_demo,
       coalesce(months, []) as months
from loads
where load_id = $load_id
