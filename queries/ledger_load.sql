-- One load of the ledger: what it was and which months it covered.
-- Grain: at most one row (a load). Parameters: $load_id.
select load_id, seq, file, sheet, dataset, coalesce(months, []) as months, status
from loads
where load_id = $load_id
