-- What-if history: the monthly sums the driver model is fitted on and recomputed from.
-- Grain: one row per month that has rows in any of orders, production, budget, contacts.
-- Parameters:
--   $as_of              load sequence the numbers are pinned to (cockpit.store.LATEST = all)
--   $threshold_seconds  service-level threshold: answered within this wait counts as in service
--   $site $region $channel $category $product $ship_mode $customer $line $agent $topic
--   $unit $account      filters: a list of values, or NULL for no filter; each applies to the
--                       datasets that have that column
-- Ratios are left to the caller as ratios of these sums.
with
order_lines as (
    select
        _month as month,
        order_id,
        order_date,
        coalesce(delivered_date, ship_date) as done_date,
        promised_date,
        quantity,
        revenue,
        coalesce(cost, revenue - profit) as cost
    from orders_slice(
        $as_of,
        f_site := $site,
        f_region := $region,
        f_channel := $channel,
        f_category := $category,
        f_product := $product,
        f_ship_mode := $ship_mode,
        f_customer := $customer
    )
),

order_months as (
    select
        month,
        count(*) as order_lines,
        count(distinct order_id) as orders,
        sum(quantity) as units,
        sum(revenue) as revenue,
        sum(cost) as order_cost,
        sum(revenue) filter (where cost is not null) as costed_revenue
    from order_lines
    group by month
),

-- an order counts once, in the month of its earliest order date
whole_orders as (
    select
        cast(date_trunc('month', min(order_date)) as date) as month,
        max(done_date) as done_date,
        min(promised_date) as promised_date
    from order_lines
    where order_id is not null
    group by order_id
),

on_time_months as (
    select
        month,
        count(*) filter (where done_date <= promised_date) as on_time_orders,
        count(*) filter (where done_date is not null and promised_date is not null)
            as on_time_known
    from whole_orders
    group by month
),

production_rows as (
    select
        _month as month,
        coalesce(planned_minutes, epoch(end_time - start_time) / 60.0) as planned,
        run_minutes,
        downtime_minutes,
        units,
        coalesce(scrap_units, units - good_units) as scrap
    from production_slice($as_of, f_site := $site, f_line := $line, f_product := $product)
),

production_months as (
    select
        month,
        sum(planned) as planned_minutes,
        sum(coalesce(run_minutes, planned - coalesce(downtime_minutes, 0))) as run_minutes,
        sum(coalesce(downtime_minutes, planned - run_minutes, 0)) as downtime_minutes,
        sum(units) as produced_units,
        sum(scrap) filter (where units is not null) as scrap_units,
        sum(units) filter (where scrap is not null) as quality_units
    from production_rows
    where planned is not null
    group by month
),

budget_months as (
    select
        _month as month,
        sum(actual) as operating_cost
    from budget_slice($as_of, f_unit := $unit, f_account := $account)
    where lower(coalesce(kind, 'cost')) not in ('income', 'revenue')
    group by _month  -- not "month": budget has its own column of that name
),

contact_rows as (
    select
        _month as month,
        coalesce(answered, true) as is_answered,
        agent,
        wait_seconds,
        handle_seconds,
        csat
    from contacts_slice($as_of, f_channel := $channel, f_agent := $agent, f_topic := $topic)
),

contact_months as (
    select
        month,
        count(*) as contacts,
        count(*) filter (where is_answered) as answered,
        sum(wait_seconds) filter (where is_answered) as wait_sum,
        count(wait_seconds) filter (where is_answered) as wait_n,
        count(*) filter (where is_answered and wait_seconds <= $threshold_seconds)
            as within_threshold,
        sum(handle_seconds) filter (where is_answered) as handle_sum,
        count(handle_seconds) filter (where is_answered) as handle_n,
        count(*) filter (where csat >= 4 and csat <= 5) as csat_top,
        count(*) filter (where csat >= 1 and csat <= 5) as csat_n,
        count(distinct agent) as agents
    from contact_rows
    group by month
),

months as (
    select month from order_months
    union
    select month from production_months
    union
    select month from budget_months
    union
    select month from contact_months
)

select
    m.month,
    o.order_lines, o.orders, o.units, o.revenue, o.order_cost, o.costed_revenue,
    t.on_time_orders, t.on_time_known,
    p.planned_minutes, p.run_minutes, p.downtime_minutes, p.produced_units,
    p.scrap_units, p.quality_units,
    b.operating_cost,
    c.contacts, c.answered, c.wait_sum, c.wait_n, c.within_threshold,
    c.handle_sum, c.handle_n, c.csat_top, c.csat_n, c.agents
from months m
left join order_months o using (month)
left join on_time_months t using (month)
left join production_months p using (month)
left join budget_months b using (month)
left join contact_months c using (month)
where m.month is not null
order by m.month
