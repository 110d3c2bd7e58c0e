-- The demo company's loads still visible (removable once real data arrives), with their rows.
-- Grain: one row per load. No parameters.
select load_id, rows_loaded
from loads
where is_demo and undone_seq is null and status <> 'rejected'
order by load_id
