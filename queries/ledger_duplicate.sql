-- The live load of one sheet of the same file bytes, if any: a duplicate. Live means not
-- undone and none of its segments superseded by a live load (a copy that was replaced or
-- undone may be loaded again). A raw-only copy counts only when the sheet would be kept raw
-- again ($as_data false): loading a sheet kept raw into a dataset adds rows.
-- Grain: at most one row (a load). Parameters: $sha256, $sheet (null: a text file, which
-- has no sheets), $as_data, $as_of (the latest version).
select l.load_id, l.seq, l.file, l.sheet, l.loaded_at
from live_loads($as_of) l
where l.sha256 = $sha256 and l.sheet is not distinct from $sheet
  and (l.status = 'loaded' or (not $as_data and l.status = 'raw-only'))
  and not exists (
      select 1 from segments s
      where s.load_id = l.load_id
        and s.seg_id not in (select seg_id from visible_segments($as_of)))
order by l.seq
limit 1
