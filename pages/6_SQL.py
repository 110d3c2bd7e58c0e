"""SQL explorer: ask anything of the loaded data, read-only and guarded."""

from cockpit.ui import sql_page
from cockpit.ui.shell import page_body, page_shell

ctx = page_shell("sql")

with page_body(ctx):
    schema_col, main_col = sql_page.columns()
    with schema_col:
        sql_page.schema_browser(ctx)
    with main_col:
        sql = sql_page.editor(ctx)
        sql_page.run_and_show(ctx, sql)
