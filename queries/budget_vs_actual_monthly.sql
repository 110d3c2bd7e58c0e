-- Budget vs actual per month, cost lines only (lines whose kind is not income/revenue/sales).
-- Grain: one row per month between $start and $end that has budget data.
-- Parameters: $as_of, $start/$end (first days of months), filters $unit $account (lists or null).
with lines as (
    select _month as month, budget, actual
    from budget_slice($as_of, f_unit := $unit, f_account := $account)
    where _month between $start and $end
      and not coalesce(lower(trim(kind)) in ('income', 'revenue', 'sales'), false)
)

select
    month,
    sum(budget) as budget,
    sum(actual) as actual,
    sum(actual) - sum(budget) as variance
from lines
group by month
order by month
