-- Rows visible per dataset and month at a version (from the load segments, no row scan).
-- Grain: one row per (dataset, month); rows without a month (returns without a return
-- date) in one row with a null month, so that their dataset still counts as loaded.
-- Parameters: $as_of.
with visible as (
    select dataset, month, rows
    from visible_segments($as_of)
)

select dataset, month, sum(rows) as rows
from visible
group by dataset, month
order by dataset, month
