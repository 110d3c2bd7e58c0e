"""Detection judged on layouts it has never seen (cockpit/testing/layouts.py).

Every rendering of a canonical table either loads exactly that table (its KPI figures equal
those of the table loaded directly) or is held with the right dataset proposed; never a
wrong dataset, never different figures, never missed. The negative families (sheets of kinds
with no canonical table: a load series, a customer snapshot, a team productivity log, ...)
load only into the dataset they belong to, or are held, or end 'no dataset fits'. A few seeded examples per family keep
this fast; bench/recognition.py runs many. A family that fails today is marked xfail (strict)
with what goes wrong: the fix that makes it pass flips the mark.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cockpit.testing import layouts as L

# (family, dataset) renderings that fail today, and how (bench/recognition.py has the numbers).
FAILING: dict[tuple[str, str], str] = {}

# By default each family renders two of its datasets (rotating), one seeded example each, plus
# every failing pair: fast. LAYOUT_EXAMPLES=N renders every dataset of every family N times.
EXAMPLES = int(os.environ.get("LAYOUT_EXAMPLES", "0"))


def _case(family: str, dataset: str):
    why = FAILING.get((family, dataset))
    if why is None:
        return pytest.param(family, dataset, id=f"{family}-{dataset}")
    mark = pytest.mark.xfail(strict=True, reason=f"{family} ({dataset}): {why}")
    return pytest.param(family, dataset, marks=mark, id=f"{family}-{dataset}")


def _pairs() -> list[tuple[str, str]]:
    out = []
    for i, family in enumerate(L.FAMILIES):
        names = L.datasets_for(family)
        some = names if EXAMPLES else [names[(i + k) % len(names)] for k in range(2)]
        some += [d for f, d in FAILING if f == family and d not in some]
        out += [(family, d) for d in dict.fromkeys(some)]
    return out


CASES = [_case(f, d) for f, d in _pairs()]


@pytest.mark.parametrize(("family", "dataset"), CASES)
def test_every_rendering_loads_right_or_is_held_for_the_right_dataset(family, dataset):
    @settings(
        # A failing pair gets more examples, so that its xfail sees the failure every run.
        max_examples=max(EXAMPLES, 12 if (family, dataset) in FAILING else 1),
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as is
        suppress_health_check=list(HealthCheck),
    )
    @given(st.sampled_from(L.FORMATS), st.integers(0, 10_000))
    def check(fmt: str, seed: int) -> None:
        r = L.render(family, dataset, fmt, seed)
        got = L.judge(r)
        assert got.verdict in (L.RIGHT, L.HELD), f"{r}: {got.verdict} ({got.detail})"

    check()


def test_the_plain_rendering_of_every_dataset_loads_right():
    """The generator's own check: with no variation every canonical table loads exactly."""
    for ds in L.CANONICAL:
        got = L.judge(L.render("plain", ds, "csv", 0))
        assert got.verdict == L.RIGHT, (ds, got)


def test_a_rendering_with_other_figures_is_judged_wrong():
    """The judge compares figures: a rendering whose numbers differ is wrong, not right."""
    r = L.render("plain", "orders", "csv", 0)
    r.data = r.data.replace(b"1250.5", b"1350.5")
    got = L.judge(r)
    assert got.verdict == L.WRONG
    assert "revenue" in got.detail


def test_headers_come_from_the_vocabulary():
    r = L.render("synonyms", "contact_stats", "csv", 3)
    header = r.data.decode().splitlines()[0].lower().split(",")
    from cockpit import vocabulary

    offered = {s.lower() for s in vocabulary.synonyms("contact_stats", "offered")}
    assert offered & set(header)


def test_renderings_are_deterministic():
    a = L.render("title_block", "orders", "xlsx", 7)
    b = L.render("title_block", "orders", "xlsx", 7)
    assert (
        L.render("months_across", "budget", "csv", 7).data
        == L.render("months_across", "budget", "csv", 7).data
    )
    assert a.name == b.name and len(a.data) == len(b.data)
