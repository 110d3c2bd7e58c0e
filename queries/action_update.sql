-- Edit an action's what, owner, due date and note, in the caller's transaction.
-- Grain: one row (action_id). Parameters: $action_id, $what, $owner, $due, $note.
update actions
set what = $what, owner = $owner, due = $due, note = $note
where action_id = $action_id
