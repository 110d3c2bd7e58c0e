-- One exchange rate: 1 $currency = $rate of the company currency in $month.
-- Grain: a statement (one row written). Parameters: $currency, $month, $rate, $user.
INSERT INTO fx_rates VALUES ($currency, $month, $rate, $user, current_timestamp)
