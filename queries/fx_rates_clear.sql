-- Drop every exchange rate (Settings saves the whole table at once).
DELETE FROM fx_rates
