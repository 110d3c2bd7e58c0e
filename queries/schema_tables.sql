-- Schema browser: the user-facing views and tables and their columns, live views first.
-- Grain: one row per (table, column). Parameters: none.
with tables as (
    select table_name, estimated_size,
           case when table_name like 'raw\_%' escape '\' then 3 else 2 end as rank
    from duckdb_tables()
    where database_name = current_database() and schema_name = 'main' and not temporary
      and table_name not in ('schema_migrations', 'settings', 'layouts', 'supersessions')
    union all
    select view_name, null, 1
    from duckdb_views()
    where database_name = current_database() and schema_name = 'main' and not temporary
      and view_name like '%\_live' escape '\'
)

select t.table_name, t.estimated_size, c.column_name, c.data_type
from tables t
join duckdb_columns() c on c.table_name = t.table_name and c.schema_name = 'main'
    and c.database_name = current_database()
order by t.rank, t.table_name, c.column_index
