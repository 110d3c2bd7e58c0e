-- Budget vs actual by unit and account over a set of months (cost and income lines).
-- Grain: one row per (unit, account, kind); biggest overspend first. kind is 'income' for
--   lines whose kind says income/revenue/sales, else 'cost' (as in kpi_budget_monthly.sql).
-- Parameters: $as_of, $months (list of first-of-month dates), filters $unit $account.
with lines as (
    select
        unit,
        account,
        case when coalesce(lower(trim(kind)) in ('income', 'revenue', 'sales'), false)
            then 'income' else 'cost' end as kind,
        budget,
        actual
    from budget_slice($as_of, f_unit := $unit, f_account := $account)
    where list_contains($months, _month)
),

by_account as (
    select
        unit,
        account,
        kind,
        sum(budget) as budget,
        sum(actual) as actual
    from lines
    group by unit, account, kind
)

select
    unit,
    account,
    kind,
    budget,
    actual,
    actual - budget as variance,
    100 * (actual - budget) / nullif(budget, 0) as variance_pct
from by_account
order by variance desc nulls last, unit, account, kind
