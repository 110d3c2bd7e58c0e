-- KPI family "budget": monthly operating cost and budget variance of cost lines.
-- Grain: one row per month (and per slice of $dimension when it is given).
--   A line is income when kind is income/revenue/sales (any case); every other line,
--   including one without a kind, is a cost line. Variance = actual - budget over cost
--   lines where both are known; budget_cost = the budget of every cost line (what
--   operating cost is compared with "vs budget").
-- Parameters: $as_of, $start/$end (first days of the first and last month), $dimension
--   (null or unit|account), filters $unit $account (lists, null = all).
with lines as (
    select
        _month as month,
        actual,
        budget,
        coalesce(lower(trim(kind)) in ('income', 'revenue', 'sales'), false) as is_income,
        case $dimension
            when 'unit' then unit
            when 'account' then account
        end as slice
    from budget_slice($as_of, f_unit := $unit, f_account := $account)
    where _month between $start and $end
)

select
    month,
    slice,
    count(*) as rows,
    cast(null as date) as last_date,
    sum(actual) filter (where not is_income) as operating_cost,
    sum(actual - budget) filter (where not is_income) as variance,
    sum(budget) filter (where not is_income and actual is not null) as variance_budget,
    sum(budget) filter (where not is_income) as budget_cost
from lines
group by month, slice
order by month, slice
