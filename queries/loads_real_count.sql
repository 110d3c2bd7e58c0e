-- How many loads of real (not demo) data are visible.
-- Grain: one row. No parameters.
select count(*) as n
from loads
where not is_demo and status = 'loaded' and undone_seq is null
