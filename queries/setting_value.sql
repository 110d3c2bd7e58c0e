-- One settings value (JSON), for the migration that moves kept items out of settings.
-- Grain: at most one row. Parameters: $key.
select value
from settings
where key = $key
