"""What-if page sections: drivers, outputs, fits, sensitivity, goal seek, scenarios."""

from __future__ import annotations

import streamlit as st

from cockpit import auth
from cockpit.charts.whatif import scenario_compare, tornado
from cockpit.screens import saved, whatif_view
from cockpit.ui import cached, errors, saving
from cockpit.ui.resources import get_store
from cockpit.ui.shell import PageContext
from cockpit.whatif import model as whatif_model
from cockpit.whatif.goalseek import goal_seek
from cockpit.whatif.model import DRIVERS, OUTPUTS, build_baseline, run_scenario
from cockpit.whatif.sensitivity import sensitivity


@st.cache_data(show_spinner="Fitting the model on your history…", max_entries=64)
def _baseline(version, filters, months, end_month):
    return build_baseline(
        get_store(),
        filters=dict(filters),
        baseline_months=months,
        as_of=version,
        end_month=end_month,
    )


def baseline(ctx: PageContext):
    """The fitted baseline for the slice (cached per data version, filters and months)."""
    version, _, _, filters = cached.view_cache_key(ctx)
    months = st.number_input(
        "Baseline: trailing months", 1, 12, value=3, step=1, key="baseline", bind="query-params"
    )
    end = ctx.period.end if ctx.period is not None else None
    return _baseline(version, filters, int(months), end)


def driver_inputs(ctx: PageContext, base=None) -> dict[str, float]:
    """Sliders grouped demand / cost / capacity / service; values live in the URL. The
    ranges fit the baseline (`base`): no fewer agents than the team has."""
    st.markdown("#### Drivers")
    bounds = whatif_view.driver_bounds(base)
    clamped = _drivers_from_link(ctx, bounds)
    for d in DRIVERS.values():
        # A value kept from another slice (a filter with a smaller team) must fit this range.
        kept = st.session_state.get(f"d_{d.id}")
        if isinstance(kept, (int, float)):
            fitted, moved = whatif_view.slider_value(d.id, kept, bounds)
            if moved:
                st.session_state[f"d_{d.id}"] = fitted
    groups = whatif_view.drivers_by_group()
    cols = st.columns(len(groups))
    chosen = {}
    for col, (group, drivers) in zip(cols, groups.items(), strict=True):
        with col:
            st.markdown(f"**{whatif_view.GROUP_LABELS[group]}**")
            for d in drivers:
                lo, hi = bounds[d.id]
                value = st.slider(
                    d.label,
                    min_value=lo,
                    max_value=hi,
                    # Preset by a link, a scenario or "apply": the session value wins.
                    value=None if f"d_{d.id}" in st.session_state else float(d.default),
                    step=float(d.step),
                    key=f"d_{d.id}",
                    # A clamped value is written to the URL by hand this once: bound, the
                    # slider would drop the link's out-of-range value from the address bar.
                    bind=None if d.id in clamped else "query-params",
                    help=whatif_view.driver_help(d.id, base),
                    format="%+g agents" if d.unit == "agents" else "%+g%%",
                )
                chosen[d.id] = value
    if st.button("Reset drivers", key="reset_drivers", icon=":material/restart_alt:"):
        for d in DRIVERS:
            st.session_state[f"d_{d}"] = 0.0
        st.rerun()
    return whatif_view.clean_drivers(chosen)


def _drivers_from_link(ctx: PageContext, bounds: whatif_view.Bounds) -> set[str]:
    """Before the sliders exist: a `scenario=` link's saved drivers, and out-of-range `d_`
    values clamped with a notice and written back to the URL; returns the clamped drivers."""
    wanted: dict[str, float] = {}
    name = ctx.state.scenario
    if name and st.session_state.get("_scenario_applied") != name:
        st.session_state["_scenario_applied"] = name
        try:
            found = saved.open_saved(ctx.store, "scenarios", name, user=ctx.user)
        except (saved.NotFound, auth.PermissionDenied) as exc:
            st.warning(f"{exc} Showing the drivers in the link.")
        else:
            wanted = {d: 0.0 for d in DRIVERS}
            wanted.update(found["value"]["drivers"])
            st.info(f"Scenario '{name}': {whatif_view.describe_drivers(found['value']['drivers'])}")
    for key in list(st.query_params):
        if key.startswith("d_") and key[2:] in DRIVERS and key not in st.session_state:
            try:
                wanted.setdefault(key[2:], float(st.query_params[key]))
            except ValueError:
                continue
    values, notices = whatif_view.clamp_drivers(wanted, bounds)
    for driver, value in values.items():
        st.session_state[f"d_{driver}"] = value
        if value:
            st.query_params[f"d_{driver}"] = f"{value:g}"
        elif f"d_{driver}" in st.query_params:
            del st.query_params[f"d_{driver}"]
    for notice in notices:
        st.warning(notice, icon=":material/warning:")
    return {d for d in values if notices and whatif_view.slider_value(d, wanted[d], bounds)[1]}


@errors.callback("the goal seek's Apply button")
def _apply_driver(driver: str, value: float) -> None:
    """The goal-seek "apply" button: move the slider (and with it the URL)."""
    st.session_state[f"d_{driver}"] = whatif_view.slider_value(driver, value)[0]


def outputs_section(base, drivers: dict[str, float]) -> list:
    values = run_scenario(base, drivers)
    st.markdown(f"#### Baseline vs scenario · {whatif_view.describe_drivers(drivers)}")
    months = ", ".join(m.strftime("%b %Y") for m in base.months)
    if not base.months:  # "Baseline = monthly average of  (ending in ...)" said nothing
        st.info(
            "No data in the baseline months ending in the month chosen above, for the current "
            "filters: choose another month, more baseline months or other filters.",
            icon=":material/info:",
        )
    else:
        st.caption(
            f"Baseline = monthly average of {months} (ending in the month chosen above), "
            "for the current filters."
        )
    cols = st.columns(4)
    for i, v in enumerate(values):
        with cols[i % 4]:
            o = OUTPUTS[v.id]
            st.metric(
                v.label,
                whatif_view.fmt_output(v.id, v.scenario),
                delta=whatif_view.fmt_change(v.id, v.change, v.baseline) if v.change else None,
                delta_color="normal" if o.direction == "higher" else "inverse",
                help=f"Baseline {whatif_view.fmt_output(v.id, v.baseline)}. {v.explain}",
                border=True,
            )
    with st.expander("How each output is computed, and how well the history supports it"):
        st.markdown((whatif_model.__doc__ or "").strip())
        st.dataframe(
            whatif_view.outputs_table(values), hide_index=True, width="stretch", placeholder="—"
        )
        st.markdown("**Fitted relations**")
        st.dataframe(
            whatif_view.fits_table(base), hide_index=True, width="stretch", placeholder="—"
        )
        for note in base.notes:
            st.caption(f"Note: {note}")
    return values


def sensitivity_section(base, drivers: dict[str, float]) -> None:
    st.markdown("#### Sensitivity: each driver ±10%")
    output = st.selectbox(
        "Output",
        list(OUTPUTS),
        format_func=lambda o: OUTPUTS[o].label,
        index=list(OUTPUTS).index("cost_per_unit"),
        key="sens_output",
    )
    df = sensitivity(base, output=output, drivers=drivers)
    df = df.assign(driver=df["label"])
    chart = tornado(
        df,
        output_label=OUTPUTS[output].label,
        unit=whatif_view.display_unit(OUTPUTS[output].unit),
    )
    st.altair_chart(chart, width="stretch", key="chart_tornado")


def goal_seek_section(base, drivers: dict[str, float]) -> None:
    st.markdown("#### Goal seek")
    with st.form("goalseek"):
        output = st.selectbox(
            "Bring",
            list(OUTPUTS),
            format_func=lambda o: OUTPUTS[o].label,
            index=list(OUTPUTS).index("asa_seconds"),
        )
        c = st.columns(2)
        target = c[0].number_input("to", value=60.0)
        driver = c[1].selectbox(
            "by changing",
            list(DRIVERS),
            format_func=lambda d: DRIVERS[d].label,
            index=list(DRIVERS).index("agents"),
        )
        go = st.form_submit_button("Find the value")
    if go:
        others = {k: v for k, v in drivers.items() if k != driver}
        st.session_state["_goalseek"] = (
            _seek_context(base, others),
            goal_seek(base, output=output, target=target, driver=driver, drivers=others),
        )
    context, r = st.session_state.get("_goalseek") or (None, None)
    if r is not None and context != _seek_context(
        base, {k: v for k, v in drivers.items() if k != r.driver}
    ):
        # Found for other drivers, months or filters: "+6 agents brings speed of answer to
        # 54 s" would no longer be true, and Apply would set a value found for another case.
        st.session_state.pop("_goalseek", None)
        r = None
    if r is not None:
        (st.success if r.reachable else st.warning)(whatif_view.goal_seek_text(r))
        if r.value is not None:
            value = whatif_view.slider_value(r.driver, r.value)[0]
            st.button(
                f"Apply: {whatif_view.driver_text(r.driver, value)}",
                key="apply_goalseek",
                on_click=_apply_driver,
                args=(r.driver, value),
                icon=":material/check:",
            )


def _seek_context(base, others: dict[str, float]) -> tuple:
    """What a goal-seek answer holds for: the baseline's slice and the other drivers."""
    return (
        tuple(base.months),
        tuple(sorted((k, str(v)) for k, v in base.filters.items())),
        base.as_of,
        tuple(sorted((k, v) for k, v in others.items() if v)),
    )


def scenarios_section(ctx: PageContext, base, drivers: dict[str, float]) -> None:
    st.markdown("#### Scenarios")
    with st.popover("Save this scenario", icon=":material/bookmark_add:"):
        name = st.text_input("Name", key="scenario_name")
        shared = saving.share_choice(ctx.user, key="scenario_shared")
        if st.button("Save", key="save_scenario"):
            if name.strip():
                saving.save(
                    ctx.store, "scenarios", name, {"drivers": drivers}, ctx.user, shared=shared
                )
            else:  # the button did nothing at all without a name
                st.warning("Give the scenario a name first.")
    all_saved = saved.list_saved(ctx.store, "scenarios", ctx.user)
    if not all_saved:
        st.caption("Save scenarios to compare up to four side by side.")
        return
    picked = st.multiselect(
        "Compare (up to 4)", list(all_saved), max_selections=4, key="compare_scenarios"
    )
    if not picked:
        return
    named = {"Baseline": run_scenario(base, {})}
    for name in picked:
        named[name] = run_scenario(
            base, whatif_view.clean_drivers(all_saved[name]["value"]["drivers"])
        )
    st.dataframe(
        whatif_view.compare_table(named), hide_index=True, width="stretch", placeholder="—"
    )
    st.altair_chart(
        scenario_compare(whatif_view.compare_frame(named), title="Scenarios compared"),
        width="stretch",
        key="chart_compare",
    )
    for name in picked:
        st.caption(
            f"**{name}**: {whatif_view.describe_drivers(all_saved[name]['value']['drivers'])}"
        )
