-- Which ingredient columns of the orders hold a value anywhere in the loaded data (why an
-- empty KPI card is empty: "no cost column in the loaded orders"; see kpis.toml ingredients).
-- Grain: one row. Parameters: $as_of.
select
    count(quantity) as quantity,
    count(revenue) as revenue,
    count(cost) as cost,
    count(profit) as profit,
    count(ship_date) as ship_date,
    count(delivered_date) as delivered_date
from orders_asof($as_of)
