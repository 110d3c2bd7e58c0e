-- Write one settings value (JSON text), in the caller's transaction (a compare-and-set reads
-- it first with setting_value.sql). Grain: one row (key). Parameters: $key, $value.
insert or replace into settings (key, value)
values ($key, $value)
