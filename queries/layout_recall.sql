-- The mapping remembered for a sheet layout (its header fingerprint), if it was loaded before.
-- Grain: at most one row (a layout). Parameters: $fingerprint.
select dataset, mapping, options, example_file
from layouts
where fingerprint = $fingerprint
