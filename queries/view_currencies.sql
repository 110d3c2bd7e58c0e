-- The currencies of the money rows a view reads: one row per currency shown, currency loaded
-- in, dataset and site of the segments visible at version $as_of, of the $datasets with money
-- columns, in the $sites of the view's filter (NULL: every site), the earliest loaded first.
-- `shown_in` differs from `currency` where a rate converts the money (see money_segments);
-- `unrated` lists the months of a foreign currency with no rate (they stay unconverted).
-- Grain: one row per (currency shown, currency loaded, dataset, site).
SELECT shown_in, currency, dataset, site, min(load_seq) AS first_seq,
       list(DISTINCT month ORDER BY month) FILTER (
           WHERE rate IS NULL AND currency IS DISTINCT FROM company_currency()
       ) AS unrated
FROM money_segments($as_of)
WHERE list_contains($datasets, dataset)
  AND ($sites IS NULL OR list_contains($sites, site))
GROUP BY ALL
ORDER BY min(load_seq), dataset, site
