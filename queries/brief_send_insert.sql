-- Record one send of a brief (sent or failed), in the caller's transaction.
-- Grain: one row per send. Parameters: $schedule, $slot, $at, $trigger, $recipients, $status,
-- $error, $link, $version, $pdf_bytes.
insert into brief_sends
    (send_id, schedule, slot, "at", trigger, recipients, status, error, link, version,
     pdf_bytes)
values (nextval('brief_send_ids'), $schedule, $slot, $at, $trigger, $recipients, $status,
        $error, $link, $version, $pdf_bytes)
returning send_id
