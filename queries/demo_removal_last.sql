-- The last removal of the demo data ("Remove demo data", audited as remove_demo): its
-- version, the loads it undid and their rows, while those loads are still undone by it.
-- Grain: one row (none when the demo was never removed, or was put back). No parameters.
with removal as (
    select cast(detail->>'seq' as bigint) as seq
    from audit
    where action = 'remove_demo'
    order by "at" desc, seq desc
    limit 1
)
select l.undone_seq as seq, list(l.load_id order by l.load_id) as loads,
       sum(l.rows_loaded) as rows
from loads l join removal r on l.undone_seq = r.seq
where l.is_demo
group by l.undone_seq
