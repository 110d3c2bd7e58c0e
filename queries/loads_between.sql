-- The loads live at version $seq that came after version $from_seq (what changed between
-- two meeting packs). Grain: one row per load. Parameters: $from_seq, $seq.
select load_id, seq, file, dataset
from live_loads($seq)
where seq > $from_seq and status = 'loaded' and dataset is not null
order by seq
