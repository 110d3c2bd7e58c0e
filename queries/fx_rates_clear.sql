-- Drop every exchange rate (Settings saves the whole table at once).
-- Grain: a statement (no rows). Parameters: none.
DELETE FROM fx_rates
