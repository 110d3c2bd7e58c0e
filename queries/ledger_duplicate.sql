-- The live load of one sheet of the same file bytes, if any: a duplicate. Live means not
-- undone and none of its segments superseded by a live load (a copy that was replaced or
-- undone may be loaded again). A raw-only copy counts only when the sheet would be kept raw
-- again ($as_data false): loading a sheet kept raw into a dataset adds rows.
-- Loaded into a dataset, it is a duplicate only when made the same way: with the same
-- recipe version (or with none), so a file loaded again with an edited recipe loads.
-- Grain: at most one row (a load). Parameters: $sha256, $sheet (null: a text file, which
-- has no sheets), $as_data, $as_of (the latest version), $recipe, $recipe_version (null:
-- no recipe).
select l.load_id, l.seq, l.file, l.sheet, l.loaded_at
from live_loads($as_of) l
where l.sha256 = $sha256 and l.sheet is not distinct from $sheet
  and (l.status = 'loaded' or (not $as_data and l.status = 'raw-only'))
  and (not $as_data or (l.recipe is not distinct from $recipe
                        and l.recipe_version is not distinct from $recipe_version))
  and not exists (
      select 1 from segments s
      where s.load_id = l.load_id
        and s.seg_id not in (select seg_id from visible_segments($as_of)))
order by l.seq
limit 1
