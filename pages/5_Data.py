"""Data: upload this month's exports, check and correct them, load, manage what is loaded."""

from cockpit.ui import data_page, recipe_part
from cockpit.ui.shell import page_body, page_shell

ctx = page_shell("data")

with page_body(ctx):
    st_files = data_page.upload_section(ctx)
    for prepared in st_files:
        data_page.file_checks(ctx, prepared)
    data_page.load_button(ctx, st_files)
    data_page.last_report(ctx)

    if not ctx.store.has_data():
        data_page.empty_state(ctx)

    data_page.coverage_section(ctx)
    data_page.history_section(ctx)
    recipe_part.recipes_section(ctx)
