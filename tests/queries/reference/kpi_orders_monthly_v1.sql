-- KPI family "orders": monthly numerator/denominator components of every orders KPI.
-- Grain: one row per month (and per slice of $dimension when it is given).
--   Line-level sums (units, revenue, cost, margin) count in the line's own month.
--   Order-level counts collapse an order's lines first (earliest order_date, latest
--   delivered else ship date, earliest promised_date) and count in the month of the order's
--   earliest order_date; cycle_histogram maps whole days (ship - order) to order counts, so
--   percentiles over any set of months are exact. A line without an order_id is an order
--   of its own. On time compares at the precision the data gives: promise and delivery may
--   carry a time of day; when either is at midnight (a date alone) the dates are compared.
--   Returns count in the month of the order they name, whatever their own date; the return
--   rate is over orders with an order_id (the ones a return can name).
-- Parameters: $as_of (version), $start/$end (first days of the first and last month),
--   $dimension (null, or a filter dimension to slice by), filters $site $region $channel
--   $category $product $customer $ship_mode (lists, null = all), $sla_keys/$sla_days
--   (parallel lists: ship_mode or channel -> SLA days, '*' = default). An order without a
--   promised_date is promised at its order date + the shortest SLA of its lines.
--   Done means delivered when the line's load tracks delivery (9 in 10 of its shipped lines
--   carry a delivery date): then a line shipped but not delivered is not known to be on
--   time. A load without delivery tracking is judged by the delivery, else the ship date.
-- `lines` is read twice (line sums, order collapse): not materialized, so each read is a
-- column scan rather than a copy of every line.
with delivering as (
    select _load_id from orders
    where ship_date is not null or delivered_date is not null
    group by _load_id
    having count(delivered_date) >= 0.9 * count(*)
),

lines as not materialized (
    select
        _month as month,
        order_id,
        -- the order a line belongs to: its order_id, else the line itself
        coalesce(order_id, '#' || _load_id || ':' || _row) as order_key,
        order_date,
        ship_date,
        delivered_date,
        _load_id in (select _load_id from delivering) as tracks_delivery,
        promised_date,
        -- SLA days, only needed when the line has no promised date: ship mode, else channel,
        -- else the '*' default.
        case when promised_date is null then list_extract($sla_days, coalesce(
            list_position($sla_keys, ship_mode),
            list_position($sla_keys, channel),
            list_position($sla_keys, '*')
        )) end as sla_days,
        quantity,
        revenue,
        coalesce(cost, revenue - profit) as cost,
        case $dimension
            when 'site' then site
            when 'region' then region
            when 'channel' then channel
            when 'category' then category
            when 'product' then product
            when 'customer' then customer
            when 'ship_mode' then ship_mode
        end as slice
    from orders_slice(
        $as_of,
        f_site := $site,
        f_region := $region,
        f_channel := $channel,
        f_category := $category,
        f_product := $product,
        f_customer := $customer,
        f_ship_mode := $ship_mode
    )
),

line_totals as (
    select
        month,
        slice,
        count(*) as rows,
        max(order_date) as last_date,
        count(order_id) as order_lines,
        sum(quantity) as units,
        sum(revenue) as revenue,
        sum(cost) as cost,
        sum(revenue) filter (where cost is not null) as margin_revenue,
        sum(revenue - cost) as margin
    from lines
    where month between $start and $end
    group by month, slice
),

orders_collapsed as (
    select
        order_key,
        any_value(order_id) as order_id,
        slice,
        min(order_date) as order_date,
        max(ship_date) as ship_date,
        case when bool_or(tracks_delivery) then max(delivered_date)
             else coalesce(max(delivered_date), max(ship_date)) end as done_date,
        min(promised_date) as promised_date,
        min(sla_days) as sla_days
    from lines
    group by order_key, slice
),

orders_in_range as (
    select
        cast(date_trunc('month', order_date) as date) as month,
        *
    from orders_collapsed
    where order_date >= $start
      and order_date < $end + interval 1 month
),

orders_promised as (
    select
        *,
        coalesce(
            promised_date, cast(order_date + cast(sla_days as integer) as timestamp)
        ) as promise_date
    from orders_in_range
),

orders_judged as (
    select
        *,
        case
            when done_date is null or promise_date is null then null
            when cast(done_date as time) = time '00:00' or cast(promise_date as time) = time '00:00'
                then cast(done_date as date) <= cast(promise_date as date)
            else done_date <= promise_date
        end as is_on_time
    from orders_promised
),

returned_orders as (
    select distinct order_id
    from returns_asof($as_of)
    where order_id is not null
),

order_totals as (
    select
        o.month,
        o.slice,
        count(*) as orders,
        count(o.order_id) as id_orders,
        count(*) filter (where o.is_on_time) as on_time,
        count(o.is_on_time) as on_time_known,
        cast(sum(o.ship_date - o.order_date) as double) as cycle_days,
        count(o.ship_date) as cycle_orders,
        histogram(o.ship_date - o.order_date) filter (
            where o.ship_date is not null
        ) as cycle_histogram,
        count(r.order_id) as returned_orders
    from orders_judged o
    left join returned_orders r on r.order_id = o.order_id
    group by o.month, o.slice
)

select
    coalesce(l.month, o.month) as month,
    coalesce(l.slice, o.slice) as slice,
    coalesce(l.rows, 0) as rows,
    l.last_date,
    coalesce(l.order_lines, 0) as order_lines,
    l.units,
    l.revenue,
    l.cost,
    l.margin_revenue,
    l.margin,
    coalesce(o.orders, 0) as orders,
    coalesce(o.id_orders, 0) as id_orders,
    coalesce(o.on_time, 0) as on_time,
    coalesce(o.on_time_known, 0) as on_time_known,
    o.cycle_days,
    coalesce(o.cycle_orders, 0) as cycle_orders,
    o.cycle_histogram,
    coalesce(o.returned_orders, 0) as returned_orders
from line_totals l
full join order_totals o
    on o.month = l.month and o.slice is not distinct from l.slice
order by month, slice
