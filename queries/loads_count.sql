-- How many loads the ledger holds, in any state (`cockpit demo --if-empty` seeds only at 0).
-- Grain: one row. Parameters: none.
select count(*) as loads
from loads
