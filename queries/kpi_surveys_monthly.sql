-- KPI family "surveys": monthly NPS components (scores 0-10) and CSAT components (1-5),
-- the CSAT ones named like the "contacts" family's so that a KPI adds the two.
-- Grain: one row per month (and per slice of $dimension when it is given).
--   promoters score 9-10, detractors 0-6; nps_net = promoters - detractors; csat_good
--   rates 4-5 of csat_n ratings on the 1-5 scale (others left out).
-- Parameters: $as_of, $start/$end (first days of the first and last month), $dimension
--   (null or segment|site|channel), filters $segment $site $channel (lists, null = all).
with responses as (
    select
        _month as month,
        response_date,
        case when score between 0 and 10 then score end as score,
        case when csat between 1 and 5 then csat end as csat,
        case $dimension
            when 'segment' then segment
            when 'site' then site
            when 'channel' then channel
        end as slice
    from surveys_slice($as_of, f_segment := $segment, f_site := $site, f_channel := $channel)
    where _month between $start and $end
)

select
    month,
    slice,
    count(*) as rows,
    max(response_date) as last_date,
    count(score) as responses,
    count(*) filter (where score >= 9) as promoters,
    count(*) filter (where score <= 6) as detractors,
    count(*) filter (where score >= 9) - count(*) filter (where score <= 6) as nps_net,
    count(*) filter (where csat >= 4) as csat_good,
    count(csat) as csat_n,
    sum(csat) as csat_sum
from responses
group by month, slice
order by month, slice
