-- Resolution time of resolved contacts (hours from contact to resolution), for a histogram.
-- Grain: one row per resolved contact in the period's months (capped at 50,000 rows, sampled).
-- Parameters: $as_of, $months (list of first-of-month dates), filters $channel $agent $topic.
with resolved as (
    select date_diff('minute', contact_date, resolved_at) / 60.0 as hours
    from contacts_slice($as_of, f_channel := $channel, f_agent := $agent, f_topic := $topic)
    where list_contains($months, _month)
      and resolved_at is not null
      and resolved_at >= contact_date
)

select hours
from resolved
using sample reservoir(50000 rows) repeatable (7)
