-- Date, site and line of production batches already loaded, for downtime keyed by batch.
-- Grain: one row per batch among $batches. Parameters: $as_of, $batches.
select batch, min(date) as date, min(site) as site, min(line) as line
from production_asof($as_of)
where list_contains($batches, batch)
group by batch
