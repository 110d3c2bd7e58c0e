"""`cockpit kpis`: the KPI scorecard for a period, comparison, filters and version."""

from __future__ import annotations

from cockpit import kpis
from cockpit.commands import api_client, open_store, print_json, print_table
from cockpit.kpis.periods import (
    COMPARES,
    KINDS,
    compare_list,
    make_period,
    parse_month,
    period_between,
)


def add_arguments(p) -> None:
    p.add_argument("--period", metavar="YYYY-MM", help="the period's last month (default: latest)")
    p.add_argument("--from", dest="from_", metavar="YYYY-MM", help="first month of a range")
    p.add_argument("--to", metavar="YYYY-MM", help="last month of a range")
    p.add_argument(
        "--period-kind", choices=[k for k in KINDS if k != "range"], default="month",
        help="month, quarter, last_quarter, ytd, t3m, t12m or all (all time) ending at --period",
    )  # fmt: skip
    p.add_argument(
        "--filter", action="append", default=[], metavar="DIM=VALUE",
        help="keep only rows with DIM=VALUE (repeat; several values of one DIM are OR-ed)",
    )  # fmt: skip
    p.add_argument(
        "--compare", type=_compares, default="prev", metavar="|".join(COMPARES),
        help="what to compare with; several comma-separated, in order (prev,yoy,target)",
    )  # fmt: skip
    p.add_argument("--asof", type=int, help="the load sequence number to pin the numbers to")
    p.add_argument("--json", action="store_true", help="print JSON")


def _compares(text: str) -> str:
    """--compare's comparisons, comma-joined in order once each (argparse refuses others)."""
    import argparse

    try:
        return ",".join(compare_list(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_filters(items: list[str]) -> dict[str, list[str]]:
    """["site=Leeds", "site=Lyon", "channel=Online"] -> {"site": ["Leeds", "Lyon"], ...}."""
    out: dict[str, list[str]] = {}
    for item in items:
        dim, sep, value = item.partition("=")
        if not sep or not dim.strip():
            raise ValueError(f"--filter wants DIM=VALUE, not {item!r}")
        if dim.strip() not in kpis.DIMENSIONS:
            raise ValueError(
                f"unknown filter dimension {dim!r}; known: {', '.join(kpis.DIMENSIONS)}"
            )
        out.setdefault(dim.strip(), []).append(value.strip())
    return out


def _period(store, args):
    if args.from_ or args.to:
        if not (args.from_ and args.to) or args.period:
            raise ValueError("give --from and --to together, or --period")
        return period_between(args.from_, args.to)
    if args.period and args.period_kind != "all":
        return make_period(args.period_kind, parse_month(args.period))
    return kpis.resolve_period(store, args.period_kind, args.period, as_of=args.asof)


def report(store, args) -> dict:
    """The `kpis --json` document."""
    from cockpit import currency

    args.compare = ",".join(compare_list(args.compare))  # the API's words too
    period = _period(store, args)
    money = currency.use_view(store, args.asof, parse_filters(args.filter))
    try:  # the cards' units in the view's currency; then the thread (an API worker) forgets it
        cards = kpis.scorecard(
            store,
            period=period,
            compare=args.compare,
            filters=parse_filters(args.filter),
            as_of=args.asof,
        )
    finally:
        currency.forget_view()
    from cockpit.alerts import rules as alert_rules

    owners = alert_rules.owners_by_kpi(store)
    sites = parse_filters(args.filter).get("site") or []
    rows = []
    for c in cards:
        owner = alert_rules.owner_of(owners, c.id, sites[0] if len(sites) == 1 else None)
        row = {
            "id": c.id,
            "label": c.label,
            "value": c.value,
            "unit": c.unit,
            "previous": c.previous,
            "change": c.change,
            "target": c.target,
            "amber_threshold": c.amber,
            "status": c.status,
            # Every comparison of the view, in its order (previous/change are the first's).
            "comparisons": {
                b: {"value": x.value, "change": x.change, "change_pct": x.change_pct}
                for b, x in c.comparisons.items()
            },
            "owner": owner["owner"] if owner else None,
            "owner_email": owner["email"] if owner else None,
        }
        if c.value is None:
            row["reason"] = c.reason
        if c.partial:
            row["partial"] = True
        if c.pacing:  # `target` is the target to date of a month still arriving
            row["target_to_date"] = True
        # An unfinished period's expected value at its end (cockpit.kpis.forecast), else null.
        row["forecast"] = c.forecast.to_json() if c.forecast else None
        rows.append(row)
    return {
        "period": {
            "kind": period.kind,
            "label": period.label,
            "start": period.start.strftime("%Y-%m"),
            "end": period.end.strftime("%Y-%m"),
        },
        "compare": args.compare,
        "filters": parse_filters(args.filter),
        "asof": args.asof,
        # The symbol of the money values (None when the view holds several: they are withheld).
        "currency": money.symbol,
        "currencies": money.by_currency,
        "kpis": rows,
    }


def query_params(args) -> list[tuple[str, str]]:
    """The API's query string for these arguments (GET /api/kpis takes the CLI's words)."""
    params = [("compare", args.compare), ("period_kind", args.period_kind)]
    for key, value in (("period", args.period), ("from", args.from_), ("to", args.to),
                       ("asof", args.asof)):  # fmt: skip
        if value is not None:
            params.append((key, str(value)))
    return params + [("filter", f) for f in args.filter]


def _note(kpi, row: dict) -> str:
    """The table's note: a partial month, and the forecast to period end."""
    parts = ["partial month, target to date" if row.get("target_to_date") else ""]
    if not parts[0] and row.get("partial"):
        parts = ["partial month"]
    f = row.get("forecast")
    if f:
        text = f"on pace for {kpis.format_value(kpi, f['value'])}"
        if f.get("target") is not None:
            text += f" (target {kpis.format_value(kpi, f['target'])}): {f['verdict']}"
        parts.append(text + (" (naive)" if f["method"] == "seasonal_naive" else ""))
    return "; ".join(p for p in parts if p)


def run(args) -> int:
    from cockpit.client import ClientError

    client = api_client(args)
    try:
        if client is not None:
            doc = client.call("GET", "/api/kpis", query_params(args))
        else:
            doc = report(open_store(args), args)
    except (ValueError, ClientError) as exc:
        print(f"error: {exc}")
        return 2
    if args.json:
        print_json(doc)
        return 0
    from cockpit import currency

    currency.show(doc.get("currency") or "")  # the document's money, also from the server
    print(f"{doc['period']['label']} (vs {args.compare.replace(',', ', ')})")
    # Several comparisons: a column each for the figure compared with (the target has its own).
    several = [b for b in args.compare.split(",") if b != "target"] if "," in args.compare else []
    table = []
    for r in doc["kpis"]:
        kpi = kpis.lookup(r["id"])
        row = {
            "kpi": r["label"],
            "value": kpis.format_value(kpi, r["value"]),
            "previous": kpis.format_value(kpi, r["previous"]),
            "target": kpis.format_value(kpi, r["target"]),
            "status": r["status"] or "",
            "note": r.get("reason") or _note(kpis.lookup(r["id"]), r),
        }
        for basis in several:  # the figure each comparison sets the value against
            row[f"vs {basis}"] = kpis.format_value(kpi, r["comparisons"][basis]["value"])
        table.append(row)
    columns = ["kpi", "value"] + ([f"vs {b}" for b in several] or ["previous"])
    print_table(table, columns + ["target", "status", "note"])
    return 0
