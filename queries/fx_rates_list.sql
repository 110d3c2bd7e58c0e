-- The exchange rates the admin entered (1 currency = rate company currency), by currency, month.
SELECT currency, month, rate FROM fx_rates ORDER BY currency, month
