-- The exchange rates the admin entered (1 currency = rate company currency), by currency, month.
-- Grain: one row per (currency, month). Parameters: none.
SELECT currency, month, rate FROM fx_rates ORDER BY currency, month
