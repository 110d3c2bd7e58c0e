-- When each dataset's live loads were made (the stale-data rule learns the usual day).
-- Grain: one row per live load. Parameters: $as_of.
select dataset, loaded_at
from live_loads($as_of)
where status = 'loaded' and dataset is not null and loaded_at is not null
order by dataset, loaded_at
