-- Schema browser: the user-facing views and tables and their columns, live views first, then
-- the raw copies of loads in load order (raw_2 before raw_10) with the file each came from.
-- Grain: one row per (table, column). Parameters: none.
with tables as (
    select table_name, estimated_size,
           case when table_name like 'raw\_%' escape '\' then 3 else 2 end as rank,
           try_cast(regexp_extract(table_name, '^raw_([0-9]+)$', 1) as bigint) as raw_load
    from duckdb_tables()
    where database_name = current_database() and schema_name = 'main' and not temporary
      and table_name not in ('schema_migrations', 'settings', 'layouts', 'supersessions')
    union all
    select view_name, null, 1, null
    from duckdb_views()
    where database_name = current_database() and schema_name = 'main' and not temporary
      and view_name like '%\_live' escape '\'
),

sources as (
    select load_id, file, sheet
    from loads
)

select t.table_name, t.estimated_size, c.column_name, c.data_type,
       s.file as source_file, s.sheet as source_sheet
from tables t
join duckdb_columns() c on c.table_name = t.table_name and c.schema_name = 'main'
    and c.database_name = current_database()
left join sources s on s.load_id = t.raw_load
order by t.rank, t.raw_load nulls first, t.table_name, c.column_index
