-- Keep one meeting pack, in the caller's transaction. Grain: one row (the new pack_id).
-- Parameters: $pack_name, $seq, $view, $agenda, $changes, $prev_pack_id, $user_name, $at.
insert into meeting_packs (pack_id, name, seq, view, agenda, changes, prev_pack_id,
                           created_by, created_at)
values (nextval('pack_ids'), $pack_name, $seq, $view, $agenda, $changes, $prev_pack_id,
        $user_name, $at)
returning pack_id
