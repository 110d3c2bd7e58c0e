-- How many deliveries still wait for a try or a retry, and when the next is due.
-- Grain: one row. Parameters: none.
select count(*) as waiting, min(next_at) as next_at
from alert_deliveries
where status in ('pending', 'retrying')
