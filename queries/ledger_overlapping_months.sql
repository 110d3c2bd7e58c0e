-- Months among $months that already have visible rows of $dataset at version $as_of.
-- Grain: one row per month. Parameters: $as_of, $dataset, $months.
select distinct month
from visible_segments($as_of)
where dataset = $dataset and list_contains($months, month)
order by month
