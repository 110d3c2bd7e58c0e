-- Raise one action, in the caller's transaction. Grain: one row (the new action_id).
-- Parameters: $kpi, $what, $owner, $due, $note, $link, $seq, $pack_id, $user_name, $at.
insert into actions (action_id, kpi, what, owner, due, note, link, seq, pack_id, state,
                     raised_by, raised_at)
values (nextval('action_ids'), $kpi, $what, $owner, $due, $note, $link, $seq, $pack_id, 'open',
        $user_name, $at)
returning action_id
