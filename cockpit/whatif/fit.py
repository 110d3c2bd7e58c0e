"""Least-squares fits on monthly history, each with R², the months used and a verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MIN_MONTHS = 6  # fewer months than this is too short a history to fit
MIN_R2_COST = 0.5  # below this the fixed/variable split is not trusted
MIN_R2_RELATION = 0.3  # below this a behavioural relation is held at baseline


@dataclass
class Fit:
    """One fitted relation: how well it fits, on how many months, and whether it is used."""

    relation: str
    r2: float | None
    months: int
    used: bool
    note: str
    params: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "relation": self.relation,
            "r2": None if self.r2 is None else round(self.r2, 4),
            "months": self.months,
            "used": self.used,
            "note": self.note,
        }


def least_squares(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray, float | None]:
    """Intercept, slopes and R² of y ~ 1 + x (x has one column per regressor)."""
    x = np.asarray(x, dtype=float).reshape(len(y), -1)
    y = np.asarray(y, dtype=float)
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    total = float(((y - y.mean()) ** 2).sum())
    r2 = None if total == 0 else 1.0 - float((residual**2).sum()) / total
    return float(coef[0]), coef[1:], r2


def _known(*columns) -> np.ndarray:
    mask = np.ones(len(columns[0]), dtype=bool)
    for c in columns:
        c = np.asarray(c, dtype=float)
        mask &= np.isfinite(c)
    return mask


def fit_cost(volume, cost, *, relation: str = "cost ~ fixed + variable x volume") -> Fit:
    """Split monthly cost into fixed + variable x volume; fall back to all variable if unsure.

    `params` holds fixed (per month) and variable (per unit) of the fit even when it is not
    used, so the screen can show what was rejected.
    """
    volume = np.asarray(volume, dtype=float)
    cost = np.asarray(cost, dtype=float)
    mask = _known(volume, cost) & (volume > 0)
    n = int(mask.sum())
    if n < MIN_MONTHS:
        return Fit(
            relation,
            None,
            n,
            False,
            f"only {n} months of history (< {MIN_MONTHS}): all cost treated as variable",
        )
    fixed, slopes, r2 = least_squares(volume[mask], cost[mask])
    variable = float(slopes[0])
    params = {"fixed": fixed, "variable": variable}
    if r2 is None:
        return Fit(
            relation,
            None,
            n,
            False,
            "cost does not vary across months: all cost treated as variable",
            params,
        )
    if fixed < 0 or variable < 0:
        part = "fixed" if fixed < 0 else "variable"
        return Fit(
            relation,
            r2,
            n,
            False,
            f"fit implausible (negative {part} cost): all cost treated as variable",
            params,
        )
    if r2 < MIN_R2_COST:
        return Fit(
            relation,
            r2,
            n,
            False,
            f"poor fit (R² {r2:.2f} < {MIN_R2_COST}): all cost treated as variable",
            params,
        )
    return Fit(
        relation, r2, n, True, f"fixed {fixed:,.0f} per month + {variable:,.4g} per unit", params
    )


def fit_relation(
    relation: str,
    y,
    regressors: dict[str, object],
    signs: dict[str, int],
    units: dict[str, str] | None = None,
) -> Fit:
    """Fit y ~ regressors; drop a regressor whose slope has the wrong sign and refit.

    `signs` gives the plausible sign of each slope (+1 or -1) and `units` how to name one
    unit of each regressor in the note ("point of utilisation"). The fit is used only with
    enough months, a plausible slope and R² of at least MIN_R2_RELATION; otherwise the
    output is held at baseline and the note says why.
    """
    y = np.asarray(y, dtype=float)
    names = list(regressors)
    units = units or {}
    n = 0
    while names:
        cols = [np.asarray(regressors[k], dtype=float) for k in names]
        mask = _known(y, *cols)
        n = int(mask.sum())
        if n < max(MIN_MONTHS, len(names) + 3):
            return Fit(
                relation,
                None,
                n,
                False,
                f"only {n} months of history (< {MIN_MONTHS}): held at baseline",
            )
        intercept, slopes, r2 = least_squares(np.column_stack([c[mask] for c in cols]), y[mask])
        wrong = [k for k, s in zip(names, slopes, strict=True) if s * signs.get(k, 0) < 0]
        if not wrong:
            params = {"intercept": intercept, **dict(zip(names, map(float, slopes), strict=True))}
            if r2 is None or r2 < MIN_R2_RELATION:
                shown = "n/a" if r2 is None else f"{r2:.2f}"
                return Fit(
                    relation,
                    r2,
                    n,
                    False,
                    f"weak fit (R² {shown} < {MIN_R2_RELATION}): held at baseline",
                    params,
                )
            terms = "; ".join(f"{params[k]:+.3g} per {units.get(k, k)}" for k in names)
            dropped = [units.get(k, k) for k in regressors if k not in names]
            if dropped:
                terms += f" ({', '.join(dropped)}: wrong-way slope, left out)"
            return Fit(relation, r2, n, True, terms, params)
        names = [k for k in names if k not in wrong]
    return Fit(
        relation,
        None,
        n,
        False,
        "history moves the wrong way (implausible slope): held at baseline",
    )
