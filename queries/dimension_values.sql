-- Distinct values of one filter dimension across every dataset that has that column.
-- Grain: one row per value, sorted; nulls and blanks left out.
-- Parameters: $as_of, $dimension (site|region|channel|category|product|customer|ship_mode|
--   line|agent|topic|segment|unit|account|cause).
with orders_values as (
    select case $dimension
        when 'site' then site
        when 'region' then region
        when 'channel' then channel
        when 'category' then category
        when 'product' then product
        when 'customer' then customer
        when 'ship_mode' then ship_mode
    end as value
    from orders_asof($as_of)
    where list_contains(
        ['site', 'region', 'channel', 'category', 'product', 'customer', 'ship_mode'],
        $dimension
    )
),

production_values as (
    select case $dimension
        when 'site' then site
        when 'line' then line
        when 'product' then product
    end as value
    from production_asof($as_of)
    where list_contains(['site', 'line', 'product'], $dimension)
),

downtime_values as (
    select case $dimension
        when 'site' then site
        when 'line' then line
        when 'cause' then cause
    end as value
    from downtime_asof($as_of)
    where list_contains(['site', 'line', 'cause'], $dimension)
),

budget_values as (
    select case $dimension
        when 'unit' then unit
        when 'account' then account
    end as value
    from budget_asof($as_of)
    where list_contains(['unit', 'account'], $dimension)
),

contacts_values as (
    select case $dimension
        when 'channel' then channel
        when 'agent' then agent
        when 'topic' then topic
    end as value
    from contacts_asof($as_of)
    where list_contains(['channel', 'agent', 'topic'], $dimension)
),

contact_stats_values as (
    select case $dimension
        when 'channel' then channel
        when 'agent' then agent
    end as value
    from contact_stats_asof($as_of)
    where list_contains(['channel', 'agent'], $dimension)
),

delivery_stats_values as (
    select case $dimension
        when 'site' then site
        when 'channel' then channel
    end as value
    from delivery_stats_asof($as_of)
    where list_contains(['site', 'channel'], $dimension)
),

surveys_values as (
    select case $dimension
        when 'segment' then segment
        when 'site' then site
        when 'channel' then channel
    end as value
    from surveys_asof($as_of)
    where list_contains(['segment', 'site', 'channel'], $dimension)
),

all_values as (
    select value from orders_values
    union select value from production_values
    union select value from downtime_values
    union select value from budget_values
    union select value from contacts_values
    union select value from contact_stats_values
    union select value from delivery_stats_values
    union select value from surveys_values
)

select value
from all_values
where value is not null and trim(value) <> ''
order by value
