-- The load ledger, newest first, in the shape of `cockpit loads --json` plus the columns the
-- Data page uses; an undone load reads 'undone'.
-- `currency`: the symbol its money is in (NULL: no money, or none known).
-- Grain: one row per load. Parameters: $include_rejected (false leaves rejected loads out).
select load_id, seq, file, sheet, dataset,
       coalesce(months, []) as months, rows_loaded as rows,
       rows_rejected as rejected,
       case when undone_seq is not null then 'undone' else status end as status,
       loaded_at, "user", currency, sha256, is_demo, undone_at, replace
from loads
where $include_rejected or status <> 'rejected'
order by seq desc
