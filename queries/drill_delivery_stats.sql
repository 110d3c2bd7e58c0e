-- Drill-through: the live punctuality counts rows behind a KPI, for the view's months and
-- filters, latest first, one page at a time (the Rows page and its downloads).
-- Grain: one row per delivery_stats row. Parameters: $as_of (version), $start/$end (first days
-- of the first and last month), filters $site $channel (lists, null = all), $limit, $offset.
-- _rows is the number of rows in the whole selection (the same on every row of a page).
select
    * exclude (_load_id, _seg, _row, _month),
    count(*) over () as _rows
from delivery_stats_slice(
    $as_of,
    f_site := $site,
    f_channel := $channel
)
where _month between $start and $end
order by _month desc, month desc nulls last, _row
limit $limit offset $offset
