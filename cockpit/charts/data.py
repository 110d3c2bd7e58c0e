"""Data-management charts: which months of which dataset are loaded."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cockpit import datasets
from cockpit.charts import theme

STATUS_COLORS = {
    "loaded": theme.GREEN,
    "partial": theme.AMBER,
    "superseded": theme.BLUE_GREY,
    "missing": theme.LIGHT_GREY,
}


# Past three years a column per month is too thin to see: the grid shows a column per year.
MAX_MONTH_COLUMNS = 36


def coverage_grid(df: pd.DataFrame) -> alt.TopLevelMixin:
    """A months x datasets heatmap of load status, rows loaded in the tooltip; a long span
    (over three years) is summarised a year per column."""
    title = "Data coverage by month"
    if theme.is_empty(df) or not {"month", "dataset", "status"} <= set(df.columns):
        return theme.no_data(title)
    data = df[["month", "dataset", "status"]].copy()
    data["rows"] = df["rows"] if "rows" in df.columns else pd.NA
    data["month"] = data["month"].astype(str)
    data["detail"] = data["status"]
    if data["month"].nunique() > MAX_MONTH_COLUMNS:
        data, title = by_year(data), "Data coverage by year"
    data["dataset"] = [
        datasets.DATASETS[d].label if d in datasets.DATASETS else str(d) for d in data["dataset"]
    ]
    months = sorted(data["month"].unique())
    catalogue = [ds.label for ds in datasets.DATASETS.values()]
    present = set(data["dataset"])
    rows_order = [label for label in catalogue if label in present]
    rows_order += sorted(present - set(rows_order))

    chart = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=2, cornerRadius=2)
        .encode(
            x=alt.X(
                "month:O",
                sort=months,
                title=None,
                axis=alt.Axis(labelAngle=-45 if len(months) > 12 else 0, orient="top"),
            ),
            y=alt.Y("dataset:N", sort=rows_order, title=None),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
                legend=alt.Legend(title=None, columns=2),  # fits a phone: 2 rows of 2
            ),
            tooltip=[
                alt.Tooltip("dataset:N", title="Dataset"),
                alt.Tooltip("month:N", title="Year" if "year" in title else "Month"),
                alt.Tooltip("detail:N", title="Status"),
                alt.Tooltip("rows:Q", title="Rows", format=","),
            ],
        )
        .properties(title=title, width=alt.Step(34), height=alt.Step(30))
    )
    return theme.finish(chart)


def by_year(data: pd.DataFrame) -> pd.DataFrame:
    """The grid a year per column: loaded when every month of the year (within the span) is,
    missing when none is, otherwise partial, with 'loaded 9 of 12 months' as the detail."""
    data = data.assign(year=data["month"].str[:4], ok=data["status"] == "loaded")
    data["has_rows"] = data["status"].isin(["loaded", "partial"])
    out = (
        data.groupby(["dataset", "year"], sort=True)
        .agg(
            months=("month", "size"),
            loaded=("ok", "sum"),
            with_rows=("has_rows", "sum"),
            rows=("rows", "sum"),
        )
        .reset_index()
    )
    out["status"] = [
        "loaded" if ok == n else "missing" if got == 0 else "partial"
        for ok, got, n in zip(out["loaded"], out["with_rows"], out["months"], strict=True)
    ]
    out["detail"] = [
        f"loaded {ok} of {n} months" for ok, n in zip(out["loaded"], out["months"], strict=True)
    ]
    return out.rename(columns={"year": "month"})[["month", "dataset", "status", "rows", "detail"]]
