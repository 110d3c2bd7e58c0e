-- Record a new load's currency: $named (what its file says), else the company currency,
-- the Settings value $key as it is now (so a later change of the setting rewrites nothing).
-- Grain: a statement (one load updated). Parameters: see above.
UPDATE loads
SET currency = coalesce(
    $named, (SELECT nullif(CAST(value ->> '$' AS VARCHAR), '') FROM settings WHERE key = $key)
)
WHERE load_id = $load_id
