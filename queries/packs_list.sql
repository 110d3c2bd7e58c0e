-- The meeting packs, newest first, with how many agenda items and actions each has: the
-- record of decisions. Grain: one row per pack. Parameters: none.
select p.pack_id, p.name, p.seq, p.created_by, p.created_at,
       coalesce(json_array_length(p.agenda), 0) as agenda_items,
       count(a.action_id) as actions,
       count(a.action_id) filter (where a.state = 'done') as actions_done
from meeting_packs p
left join actions a using (pack_id)
group by all
order by p.created_at desc, p.pack_id desc
