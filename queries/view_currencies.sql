-- The currencies of the money rows a view reads: one row per currency, dataset and site of
-- the segments visible at version $as_of, of the $datasets with money columns, in the
-- $sites of the view's filter (NULL: every site), the earliest loaded first. A load naming
-- no currency gives NULL.
SELECT nullif(l.currency, '') AS currency, s.dataset, s.site, min(l.seq) AS first_seq
FROM visible_segments($as_of) s
JOIN loads l ON l.load_id = s.load_id
WHERE list_contains($datasets, s.dataset)
  AND ($sites IS NULL OR list_contains($sites, s.site))
GROUP BY ALL
ORDER BY min(l.seq), s.dataset, s.site
