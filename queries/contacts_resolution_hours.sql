-- Resolution time of resolved contacts (hours from contact to resolution), for a histogram.
-- Grain: one row per resolved contact in the period's months (capped at 50,000 rows, sampled).
-- Parameters: $as_of, $months (list of first-of-month dates), filters $channel $agent $topic.
-- The contacts and hours of the Resolution time KPI (kpi_resolution_percentiles.sql), so the
-- median drawn is the card's: elapsed seconds / 3600 (date_diff in minutes counts minute
-- boundaries, which put the median at 14 min beside a card saying 15).
with resolved as (
    select date_diff('second', contact_date, resolved_at) / 3600.0 as hours
    from contacts_slice($as_of, f_channel := $channel, f_agent := $agent, f_topic := $topic)
    where list_contains($months, _month)
      and resolved_at is not null
      and contact_date is not null
)

select hours
from resolved
using sample reservoir(50000 rows) repeatable (7)
