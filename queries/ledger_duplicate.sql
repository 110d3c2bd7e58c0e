-- The earliest live load of the same file bytes (of that sheet when $sheet is given).
-- Grain: at most one row (a load). Parameters: $sha256, $sheet (null: any sheet).
select load_id, seq, file, loaded_at
from loads
where sha256 = $sha256 and status = 'loaded' and undone_seq is null
  and ($sheet is null or sheet = $sheet)
order by seq
limit 1
