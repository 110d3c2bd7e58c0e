-- How many deliveries have not had their first try yet. Grain: one row. Parameters: none.
select count(*) as pending
from alert_deliveries
where status = 'pending'
