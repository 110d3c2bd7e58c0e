-- Drill-through: the live returns rows behind a KPI, for the view's months and
-- filters, latest first, one page at a time (the Rows page and its downloads).
-- Grain: one row per returns row. Parameters: $as_of (version), $start/$end (first days
-- of the first and last month), $limit, $offset.
-- _rows is the number of rows in the whole selection (the same on every row of a page).
select
    * exclude (_load_id, _seg, _row, _month),
    count(*) over () as _rows
from returns_slice($as_of)
where _month between $start and $end
order by _month desc, return_date desc nulls last, _row
limit $limit offset $offset
