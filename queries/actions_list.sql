-- Actions with their meeting pack's name; filters are NULL for "all". Overdue (open past
-- due) is worked out in cockpit/actions.py, which also orders them.
-- Grain: one row per action. Parameters: $kpi_filter, $owner_filter, $pack_filter.
select a.action_id, a.kpi, a.what, a.owner, a.due, a.note, a.link, a.seq, a.pack_id,
       p.name as pack_name, a.state, a.raised_by, a.raised_at, a.done_by, a.done_at
from actions a
left join meeting_packs p using (pack_id)
where ($kpi_filter is null or a.kpi = $kpi_filter)
  and ($owner_filter is null or lower(a.owner) = lower($owner_filter))
  and ($pack_filter is null or a.pack_id = $pack_filter)
order by a.due, a.action_id
