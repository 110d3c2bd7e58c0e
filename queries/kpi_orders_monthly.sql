-- KPI family "orders": monthly numerator/denominator components of every orders KPI.
-- Grain: one row per month (and per dimension of $dimensions and its slice when given).
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
--   $dimensions (empty, or the filter dimensions to slice by: each row names its
--   `dimension`; several in one run collapse the orders once, see order_parts), filters
--   $site $region $channel $category $product $customer $ship_mode (lists, null = all),
--   $sla_keys/$sla_days
--   (parallel lists: ship_mode or channel -> SLA days, '*' = default). An order without a
--   promised_date is promised at its order date + the shortest SLA of its lines.
--   Done means delivered when the line's load tracks delivery (9 in 10 of its shipped lines
--   carry a delivery date): then a line shipped but not delivered is not known to be on
--   time. A load without delivery tracking is judged by the delivery, else the ship date.
-- `lines` is read once per use (line sums, each collapse): not
-- materialized, so each read is a column scan rather than a copy of every line.
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
        site,
        region,
        channel,
        customer,
        ship_mode,
        category,
        product
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

-- Slices: no dimension asked gives one null dimension (the rows are the unsliced totals).
-- Site, region, channel, customer and ship mode are an order's own (every line of an order
-- names the same ones, in data as it comes); categories and products are each line's.
line_dims as (
    select unnest(
        case when len(coalesce($dimensions, [])) = 0 then [null] else $dimensions end
    ) as dimension
),

line_totals as (
    -- no dimension: the month's lines as they are (the cards' query, kept as lean as before)
    select
        null as dimension,
        l.month,
        null as slice,
        count(*) as rows,
        max(l.order_date) as last_date,
        count(l.order_id) as order_lines,
        sum(l.quantity) as units,
        sum(l.revenue) as revenue,
        sum(l.cost) as cost,
        sum(l.revenue) filter (where l.cost is not null) as margin_revenue,
        sum(l.revenue - l.cost) as margin
    from lines l
    where l.month between $start and $end and len(coalesce($dimensions, [])) = 0
    group by l.month
    union all by name
    select
        x.dimension,
        l.month,
        case x.dimension
            when 'site' then l.site
            when 'region' then l.region
            when 'channel' then l.channel
            when 'customer' then l.customer
            when 'ship_mode' then l.ship_mode
            when 'category' then l.category
            when 'product' then l.product
        end as slice,
        count(*) as rows,
        max(l.order_date) as last_date,
        count(l.order_id) as order_lines,
        sum(l.quantity) as units,
        sum(l.revenue) as revenue,
        sum(l.cost) as cost,
        sum(l.revenue) filter (where l.cost is not null) as margin_revenue,
        sum(l.revenue - l.cost) as margin
    from lines l, line_dims x
    where l.month between $start and $end and x.dimension is not null
    group by all
),

-- An order's lines collapse into one order per slice (earliest order date, latest ship and
-- delivery, ...), so an order counts once in every slice it has lines in. For an order's
-- own dimensions its lines collapse ONCE, into one part per order and combination of them
-- (one per order, in data as it comes), judged once and then counted in each dimension's
-- slice; an order whose lines differ in one of them has several parts, collapsed again per
-- slice. Categories and products (and no dimension) collapse the lines per slice.
order_parts as (
    select
        order_key,
        -- each dimension asked for, else null (a constant costs nothing to group by)
        case when list_contains($dimensions, 'site') then site end as site,
        case when list_contains($dimensions, 'region') then region end as region,
        case when list_contains($dimensions, 'channel') then channel end as channel,
        case when list_contains($dimensions, 'customer') then customer end as customer,
        case when list_contains($dimensions, 'ship_mode') then ship_mode end as ship_mode,
        any_value(order_id) as order_id,
        min(order_date) as order_date,
        max(ship_date) as ship_date,
        max(delivered_date) as delivered_date,
        bool_or(tracks_delivery) as tracks_delivery,
        min(promised_date) as promised_date,
        min(sla_days) as sla_days
    from lines
    where list_has_any($dimensions, ['site', 'region', 'channel', 'customer', 'ship_mode'])
    group by all
),

split_orders as (
    select order_key from order_parts group by order_key having count(*) > 1
),

collapsed as (
    -- an order in one part: counted as it is in each of its dimensions' slices (below)
    select
        'parts' as dimension,
        null as slice,
        * exclude (tracks_delivery, delivered_date),
        case when tracks_delivery then delivered_date
             else coalesce(delivered_date, ship_date) end as done_date
    from order_parts
    where order_key not in (select order_key from split_orders)
    union all by name
    select
        x.dimension,
        case x.dimension
            when 'site' then p.site
            when 'region' then p.region
            when 'channel' then p.channel
            when 'customer' then p.customer
            when 'ship_mode' then p.ship_mode
        end as slice,
        p.order_key,
        any_value(p.order_id) as order_id,
        min(p.order_date) as order_date,
        max(p.ship_date) as ship_date,
        case when bool_or(p.tracks_delivery) then max(p.delivered_date)
             else coalesce(max(p.delivered_date), max(p.ship_date)) end as done_date,
        min(p.promised_date) as promised_date,
        min(p.sla_days) as sla_days
    from order_parts p, line_dims x
    where p.order_key in (select order_key from split_orders)
      and x.dimension in ('site', 'region', 'channel', 'customer', 'ship_mode')
    group by x.dimension, slice, p.order_key
    union all by name
    -- no dimension: each order's lines (the cards' query)
    select
        null as dimension,
        null as slice,
        order_key,
        any_value(order_id) as order_id,
        min(order_date) as order_date,
        max(ship_date) as ship_date,
        case when bool_or(tracks_delivery) then max(delivered_date)
             else coalesce(max(delivered_date), max(ship_date)) end as done_date,
        min(promised_date) as promised_date,
        min(sla_days) as sla_days
    from lines
    where len(coalesce($dimensions, [])) = 0
    group by order_key
    -- one collapse per dimension: two tables of about a line each are faster than one
    union all by name
    select
        x.dimension,
        l.category as slice,
        l.order_key,
        any_value(l.order_id) as order_id,
        min(l.order_date) as order_date,
        max(l.ship_date) as ship_date,
        case when bool_or(l.tracks_delivery) then max(l.delivered_date)
             else coalesce(max(l.delivered_date), max(l.ship_date)) end as done_date,
        min(l.promised_date) as promised_date,
        min(l.sla_days) as sla_days
    from lines l, line_dims x
    where x.dimension = 'category'
    group by x.dimension, slice, l.order_key
    union all by name
    select
        x.dimension,
        l.product as slice,
        l.order_key,
        any_value(l.order_id) as order_id,
        min(l.order_date) as order_date,
        max(l.ship_date) as ship_date,
        case when bool_or(l.tracks_delivery) then max(l.delivered_date)
             else coalesce(max(l.delivered_date), max(l.ship_date)) end as done_date,
        min(l.promised_date) as promised_date,
        min(l.sla_days) as sla_days
    from lines l, line_dims x
    where x.dimension = 'product'
    group by x.dimension, slice, l.order_key
),

orders_in_range as (
    select
        cast(date_trunc('month', order_date) as date) as month,
        *
    from collapsed
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

returned_orders as (
    select distinct order_id
    from returns_asof($as_of)
    where order_id is not null
),

orders_judged as (
    select
        o.*,
        case
            when o.done_date is null or o.promise_date is null then null
            when cast(o.done_date as time) = time '00:00'
                or cast(o.promise_date as time) = time '00:00'
                then cast(o.done_date as date) <= cast(o.promise_date as date)
            else o.done_date <= o.promise_date
        end as is_on_time,
        r.order_id is not null as is_returned
    from orders_promised o
    left join returned_orders r on r.order_id = o.order_id
),

-- the one-part orders, judged once above, in each of their dimensions' slices (one read of
-- orders_judged: a second would collapse the orders again)
orders_each as (
    select
        o.* exclude (dimension, slice),
        o.dimension = 'parts' as is_part,
        o.slice as own_slice,
        unnest(case when o.dimension = 'parts' then list_intersect(
            $dimensions, ['site', 'region', 'channel', 'customer', 'ship_mode']
        ) else [o.dimension] end) as dimension
    from orders_judged o
),

orders_sliced as (
    select
        *,
        case
            when not is_part then own_slice
            when dimension = 'site' then site
            when dimension = 'region' then region
            when dimension = 'channel' then channel
            when dimension = 'customer' then customer
            when dimension = 'ship_mode' then ship_mode
        end as slice
    from orders_each
),

order_totals as (
    select
        dimension,
        month,
        slice,
        count(*) as orders,
        count(order_id) as id_orders,
        count(*) filter (where is_on_time) as on_time,
        count(is_on_time) as on_time_known,
        cast(sum(ship_date - order_date) as double) as cycle_days,
        count(ship_date) as cycle_orders,
        histogram(ship_date - order_date) filter (
            where ship_date is not null
        ) as cycle_histogram,
        count(*) filter (where is_returned) as returned_orders
    from orders_sliced
    group by dimension, month, slice
)

select
    coalesce(l.dimension, o.dimension) as dimension,
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
    on o.month = l.month
    and o.dimension is not distinct from l.dimension
    and o.slice is not distinct from l.slice
order by dimension, month, slice
