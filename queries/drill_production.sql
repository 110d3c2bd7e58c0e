-- Drill-through: the live production runs rows behind a KPI, for the view's months and
-- filters, latest first, one page at a time (the Rows page and its downloads).
-- Grain: one row per production row. Parameters: $as_of (version), $start/$end (first days
-- of the first and last month), filters $site $product $line (lists, null = all), $limit,
-- $offset.
-- _rows is the number of rows in the whole selection (the same on every row of a page).
select
    * exclude (_load_id, _seg, _row, _month),
    count(*) over () as _rows
from production_slice(
    $as_of,
    f_site := $site,
    f_product := $product,
    f_line := $line
)
where _month between $start and $end
order by _month desc, date desc nulls last, _row
limit $limit offset $offset
