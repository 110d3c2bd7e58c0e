-- Audit log: who loaded, undid or changed what, newest first.
-- Grain: one row per recorded action. Parameters: $limit (rows to return).
select "at", "user", action, detail
from audit
order by "at" desc
limit $limit
