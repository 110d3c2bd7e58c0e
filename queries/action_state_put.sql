-- Mark an action done or open again, in the caller's transaction. Grain: one row (action_id).
-- Parameters: $action_id, $state, $user_name, $at.
update actions
set state = $state,
    done_by = case when $state = 'done' then $user_name end,
    done_at = case when $state = 'done' then $at end
where action_id = $action_id
