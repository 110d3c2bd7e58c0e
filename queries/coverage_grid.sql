-- Coverage grid: what is loaded per dataset and month, to spot missing or partial months.
-- Grain: one row per (dataset, month) between the first and last month of any data.
-- Parameters: $as_of (load sequence to read at; a huge number = latest).
-- status: loaded | partial (fewer than half the rows of the dataset's median month, for
--         datasets with at least 20 rows in a median month: sparse ones vary too much)
--         | superseded (only replaced or undone rows) | missing.
with live as (
    select dataset, month, cast(sum(rows) as bigint) as rows
    from visible_segments($as_of)
    where month is not null
    group by all
),
ever as (
    select s.dataset, s.month, cast(sum(s.rows) as bigint) as rows
    from segments s
    join loads l on l.load_id = s.load_id
    where l.seq <= $as_of and s.month is not null
    group by all
),
-- The span of the live data: an undone load's months (say a stray November) leave the
-- grid with it, while a hole it leaves inside the span still shows as superseded.
bounds as (
    select min(month) as first_month, max(month) as last_month from live
),
months as (
    select cast(unnest(generate_series(first_month, last_month, interval 1 month)) as date) as month
    from bounds
    where first_month is not null
),
datasets as (
    select distinct dataset from live
),
typical as (
    select dataset, median(rows) as median_rows from live group by dataset
),
grid as (
    select d.dataset, m.month from datasets d cross join months m
)
select
    g.dataset,
    strftime(g.month, '%Y-%m') as month,
    coalesce(l.rows, 0) as rows,
    case
        when l.rows is not null and t.median_rows >= 20 and l.rows < 0.5 * t.median_rows
            then 'partial'
        when l.rows is not null then 'loaded'
        when e.rows is not null then 'superseded'
        else 'missing'
    end as status
from grid g
left join live l on l.dataset = g.dataset and l.month = g.month
left join ever e on e.dataset = g.dataset and e.month = g.month
left join typical t on t.dataset = g.dataset
order by g.dataset, g.month
