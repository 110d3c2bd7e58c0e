-- Data freshness: the latest month loaded per dataset, and whether it looks partial.
-- Grain: one row per dataset with live rows.
-- Parameters: $as_of (load sequence to read at; a huge number = latest).
with live as (
    select dataset, month, cast(sum(rows) as bigint) as rows
    from visible_segments($as_of)
    where month is not null
    group by all
),
per_dataset as (
    select dataset, max(month) as latest, median(rows) as median_rows, count(*) as months
    from live
    group by dataset
)
select
    p.dataset,
    strftime(p.latest, '%Y-%m') as latest,
    p.months,
    l.rows as latest_rows,
    p.median_rows >= 20 and l.rows < 0.5 * p.median_rows as partial
from per_dataset p
join live l on l.dataset = p.dataset and l.month = p.latest
order by p.dataset
