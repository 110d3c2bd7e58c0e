-- One exchange rate: 1 $currency = $rate of the company currency in $month.
INSERT INTO fx_rates VALUES ($currency, $month, $rate, $user, current_timestamp)
