"""KPI owners and alert rules: what Settings edits (admins and analysts), everyone reads.

A rule is one of KINDS. KPI rules watch a KPI's newest month (every KPI when `kpi` is None),
company-wide or at one `site`; data rules watch loads and datasets. With nothing set up, two
defaults hold: any KPI turning red, and any restatement of a closed month. A default is
changed or switched off by saving a rule with its id.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from cockpit import auth, queries
from cockpit.kpis.registry import is_builtin
from cockpit.store import audit

KINDS = {
    "red": "turns red (and back)",
    "leaves_red": "leaves red",
    "move": "moves more than X against the previous month",
    "forecast_miss": "is forecast to miss its target at the end of a month still arriving",
    "stale": "dataset not loaded by its usual day + N days",
    "rejects": "a load rejects more than X % of its rows",
    "restated": "a load restates a closed month by more than X",
}
KPI_KINDS = ("red", "leaves_red", "move", "forecast_miss")
UNITS = ("points", "pct")
_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Rule:
    rule_id: str
    kind: str
    kpi: str | None = None  # None: every KPI
    site: str | None = None  # None: company-wide
    dataset: str | None = None  # data rules; None: every dataset
    threshold: float | None = None  # move/restated: points or %; rejects: %
    unit: str = "points"
    days: int | None = None  # stale: days of grace after the usual day
    subscribers: tuple[str, ...] = field(default_factory=tuple)
    enabled: bool = True

    def to_dict(self) -> dict:
        return {**asdict(self), "subscribers": list(self.subscribers)}


DEFAULTS = (
    Rule("default_red", "red"),
    Rule("default_restated", "restated", threshold=0.0),
)


class RuleError(ValueError):
    """A rule or owner that cannot be saved; the message says what to change."""


def list_rules(store, *, enabled_only: bool = False) -> list[Rule]:
    """The saved rules, plus each default not saved over."""
    saved = [
        Rule(**{**r, "subscribers": tuple(r["subscribers"] or ()), "unit": r["unit"] or "points"})
        for r in queries.run(store, "alert_rules").to_pylist()
    ]
    ids = {r.rule_id for r in saved}
    rules = [d for d in DEFAULTS if d.rule_id not in ids] + saved
    return [r for r in rules if r.enabled] if enabled_only else rules


def check_rule(rule: Rule) -> None:
    if not _ID_RE.fullmatch(rule.rule_id or ""):
        raise RuleError("A rule's name uses lower-case letters, digits, - and _ (e.g. ontime_red).")
    if rule.kind not in KINDS:
        raise RuleError(f"Unknown rule kind {rule.kind!r}; choose one of: {', '.join(KINDS)}.")
    if rule.kpi is not None and not is_builtin(rule.kpi):
        raise RuleError(f"There is no KPI {rule.kpi!r}; see `python -m cockpit kpis --list`.")
    if rule.kind in ("move", "rejects") and rule.threshold is None:
        raise RuleError(f"A '{KINDS[rule.kind]}' rule needs its X (a threshold).")
    if rule.threshold is not None and rule.threshold < 0:
        raise RuleError("A threshold is a size, 0 or more.")
    if rule.unit not in UNITS:
        raise RuleError("A threshold's unit is 'points' or 'pct'.")
    if rule.kind == "stale" and (rule.days is None or rule.days < 0):
        raise RuleError("A stale-data rule needs N, the days of grace (0 or more).")
    for email in rule.subscribers:
        if not _EMAIL_RE.fullmatch(email):
            raise RuleError(f"{email!r} is not an e-mail address.")


def save_rule(store, rule: Rule, user: auth.User) -> None:
    """Save (or replace) a rule: analysts and admins."""
    auth.require(user, "alert_rules")
    check_rule(rule)
    with store.transaction() as cur:
        queries.execute(
            cur, "alert_rule_put", rule_id=rule.rule_id, kind=rule.kind, kpi=rule.kpi,
            rule_site=rule.site, dataset=rule.dataset, threshold=rule.threshold,
            threshold_unit=rule.unit, days=rule.days, subscribers=list(rule.subscribers),
            enabled=rule.enabled, user_name=user.name,
        )  # fmt: skip
        audit(cur, user.name, "alert_rule", rule.to_dict())


def delete_rule(store, rule_id: str, user: auth.User) -> None:
    auth.require(user, "alert_rules")
    with store.transaction() as cur:
        queries.execute(cur, "alert_rule_delete", rule_id=rule_id)
        audit(cur, user.name, "alert_rule_delete", {"rule_id": rule_id})


# -- owners -----------------------------------------------------------------------------


def list_owners(store) -> list[dict]:
    """[{kpi, site ('' = company-wide), owner, email}]."""
    return queries.run(store, "kpi_owners").to_pylist()


def set_owner(store, kpi: str, owner: str, email: str | None, user: auth.User, *,
              site: str = "") -> None:  # fmt: skip
    """Name the owner of a KPI (company-wide, or at one site): analysts and admins."""
    auth.require(user, "alert_rules")
    if not is_builtin(kpi):
        raise RuleError(f"There is no KPI {kpi!r}.")
    owner = (owner or "").strip()
    if not owner:
        raise RuleError("Name the owner (a user of the cockpit).")
    email = (email or "").strip() or None
    if email is not None and not _EMAIL_RE.fullmatch(email):
        raise RuleError(f"{email!r} is not an e-mail address.")
    with store.transaction() as cur:
        queries.execute(cur, "kpi_owner_put", kpi=kpi, owner_site=site or "", owner=owner,
                        email=email)  # fmt: skip
        audit(cur, user.name, "kpi_owner", {"kpi": kpi, "site": site, "owner": owner})


def remove_owner(store, kpi: str, user: auth.User, *, site: str = "") -> None:
    auth.require(user, "alert_rules")
    with store.transaction() as cur:
        queries.execute(cur, "kpi_owner_delete", kpi=kpi, owner_site=site or "")
        audit(cur, user.name, "kpi_owner_delete", {"kpi": kpi, "site": site})


def owners_by_kpi(store) -> dict[tuple[str, str], dict]:
    return {(o["kpi"], o["site"]): o for o in list_owners(store)}


def owner_of(owners: dict[tuple[str, str], dict], kpi: str | None, site: str | None = None):
    """The KPI's owner at `site` (its site owner, else the company-wide one), or None."""
    if kpi is None:
        return None
    return owners.get((kpi, site or "")) or owners.get((kpi, ""))


def owner_text(owner: dict | None) -> str:
    """ "Owner: Sam (sam@example.com)" for cards, the brief and exports; '' when none."""
    if not owner:
        return ""
    return f"Owner: {owner['owner']}" + (f" ({owner['email']})" if owner.get("email") else "")


def add_owners(cards: list[dict], owners: dict, filters: dict | None = None) -> list[dict]:
    """Each card view (scorecard_view.card_view) with its owner: `owner` (the name) and
    the footnote's "Owner: …". A view of one site shows that site's owner."""
    sites = (filters or {}).get("site") or []
    site = sites[0] if len(sites) == 1 else None
    for card in cards:
        owner = owner_of(owners, card.get("id"), site)
        card["owner"] = owner["owner"] if owner else ""
        if owner:
            foot = (card.get("footnote") or "").strip()
            card["footnote"] = " · ".join(x for x in (foot, f"Owner: {owner['owner']}") if x)
    return cards
