-- Open actions (overdue included) per KPI: the number a card shows.
-- Grain: one row per KPI with open actions. Parameters: none.
select kpi, count(*) as open_actions
from actions
where state = 'open' and kpi is not null
group by kpi
order by kpi
