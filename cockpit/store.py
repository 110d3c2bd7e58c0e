"""The DuckDB store: one connection per process, a cursor per query, numbered migrations,
the loads ledger, load segments with supersede/undo, and as-of reads.

Versioning model: every mapped row carries `_seg`, the segment (load, month, site) it was
loaded in. A replacing load records which earlier segments it supersedes; an undo stamps
the load with the sequence number of the undo. A segment is visible "as of N" when its
load's seq <= N, the load was not undone by N, and no load live at N superseded it. Rows
are never deleted in place, so any earlier view can be reproduced exactly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from cockpit import currency, datasets

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "cockpit.duckdb"
LATEST = 2**62  # as-of value meaning "everything loaded so far"


def resolve_as_of(as_of: int | None) -> int:
    """The version a request reads at: a load number as given, None (live) -> LATEST.

    Called once where a request enters the core (the public kpis, what-if and page-data
    functions); what they call takes the resolved int. Live stays LATEST, never the newest
    load number, so kpis.memo keeps not remembering answers that move with the next load.
    """
    return LATEST if as_of is None else int(as_of)


def default_db_path() -> Path:
    """The database path: $COCKPIT_DB if set, else data/cockpit.duckdb."""
    return Path(os.environ.get("COCKPIT_DB") or DEFAULT_DB)


# Each migration's steps are SQL statements or functions called with the cursor.
MIGRATIONS: list[tuple[int, str, list]] = [
    (
        1,
        "ledger, segments, rejects, layouts, settings, audit",
        [
            "CREATE SEQUENCE IF NOT EXISTS load_ids START 1",
            "CREATE SEQUENCE IF NOT EXISTS version_seq START 1",
            """CREATE TABLE IF NOT EXISTS loads (
                load_id BIGINT PRIMARY KEY,
                seq BIGINT NOT NULL,
                file VARCHAR NOT NULL,
                sheet VARCHAR,
                sha256 VARCHAR NOT NULL,
                dataset VARCHAR,
                rows_loaded BIGINT DEFAULT 0,
                rows_rejected BIGINT DEFAULT 0,
                status VARCHAR NOT NULL,
                replace BOOLEAN DEFAULT false,
                months DATE[],
                sites VARCHAR[],
                raw_table VARCHAR,
                layout_fp VARCHAR,
                mapping JSON,
                report JSON,
                started_at TIMESTAMP,
                loaded_at TIMESTAMP,
                undone_at TIMESTAMP,
                undone_seq BIGINT,
                undone_by VARCHAR,
                "user" VARCHAR,
                is_demo BOOLEAN DEFAULT false
            )""",
            """CREATE TABLE IF NOT EXISTS segments (
                seg_id BIGINT PRIMARY KEY,
                load_id BIGINT NOT NULL,
                dataset VARCHAR NOT NULL,
                month DATE,
                site VARCHAR,
                rows BIGINT
            )""",
            "CREATE SEQUENCE IF NOT EXISTS seg_ids START 1",
            """CREATE TABLE IF NOT EXISTS supersessions (
                by_load_id BIGINT NOT NULL,
                seg_id BIGINT NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS rejects (
                load_id BIGINT NOT NULL,
                row_number BIGINT,
                column_name VARCHAR,
                reason VARCHAR NOT NULL,
                raw JSON
            )""",
            """CREATE TABLE IF NOT EXISTS layouts (
                fingerprint VARCHAR PRIMARY KEY,
                dataset VARCHAR,
                mapping JSON,
                options JSON,
                example_file VARCHAR,
                first_load_id BIGINT,
                updated_at TIMESTAMP
            )""",
            """CREATE TABLE IF NOT EXISTS settings (
                key VARCHAR PRIMARY KEY,
                value JSON
            )""",
            """CREATE TABLE IF NOT EXISTS audit (
                "at" TIMESTAMP DEFAULT current_timestamp,
                "user" VARCHAR,
                action VARCHAR,
                detail JSON
            )""",
            *[datasets.table_ddl(ds) for ds in datasets.DATASETS.values()],
        ],
    ),
    # Later migrations must also hold on a new database, where migration 1 already made
    # every table at its current shape: IF NOT EXISTS throughout.
    (2, "contact_stats", [datasets.table_ddl(datasets.get("contact_stats"))]),
    (3, "surveys.csat", ["ALTER TABLE surveys ADD COLUMN IF NOT EXISTS csat DOUBLE"]),
    (
        4,
        "orders promise/delivery with a time of day; delivery_stats",
        [
            # Existing dates become midnight, which on-time reads as a date alone.
            "ALTER TABLE orders ALTER promised_date TYPE TIMESTAMP",
            "ALTER TABLE orders ALTER delivered_date TYPE TIMESTAMP",
            datasets.table_ddl(datasets.get("delivery_stats")),
        ],
    ),
    (
        5,
        "sign-in failures per name (the login brake survives a restart)",
        [
            """CREATE TABLE IF NOT EXISTS login_failures (
                name VARCHAR PRIMARY KEY,
                failures INTEGER NOT NULL,
                last_at DOUBLE NOT NULL,
                locked_until DOUBLE NOT NULL DEFAULT 0
            )""",
        ],
    ),
    (
        6,
        "kept items one row each (saved views/scenarios/queries, custom metrics, targets)",
        [
            """CREATE TABLE IF NOT EXISTS saved_items (
                kind VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                owner VARCHAR,
                shared BOOLEAN NOT NULL DEFAULT true,
                value JSON,
                saved_at VARCHAR,
                PRIMARY KEY (kind, name)
            )""",
            lambda cur: _settings_to_items(cur),  # in Python: each JSON object becomes rows
        ],
    ),
    (
        7,
        "recipes (versioned), and the recipe each load was made with",
        [
            """CREATE TABLE IF NOT EXISTS recipes (
                name VARCHAR NOT NULL,
                version INTEGER NOT NULL,
                toml VARCHAR NOT NULL,
                dataset VARCHAR NOT NULL,
                fingerprints VARCHAR[],
                headers VARCHAR[],
                created_by VARCHAR,
                created_at TIMESTAMP DEFAULT current_timestamp,
                deleted_at TIMESTAMP,
                PRIMARY KEY (name, version)
            )""",
            "ALTER TABLE loads ADD COLUMN IF NOT EXISTS recipe VARCHAR",
            "ALTER TABLE loads ADD COLUMN IF NOT EXISTS recipe_version INTEGER",
        ],
    ),
    (
        8,
        "KPI owners, alert rules, alerts, their open conditions and deliveries",
        [
            "CREATE SEQUENCE IF NOT EXISTS alert_ids START 1",
            # site '' = the company-wide owner of the KPI.
            """CREATE TABLE IF NOT EXISTS kpi_owners (
                kpi VARCHAR NOT NULL,
                site VARCHAR NOT NULL DEFAULT '',
                owner VARCHAR NOT NULL,
                email VARCHAR,
                PRIMARY KEY (kpi, site)
            )""",
            """CREATE TABLE IF NOT EXISTS alert_rules (
                rule_id VARCHAR PRIMARY KEY,
                kind VARCHAR NOT NULL,
                kpi VARCHAR,
                site VARCHAR,
                dataset VARCHAR,
                threshold DOUBLE,
                unit VARCHAR,
                days INTEGER,
                subscribers VARCHAR[],
                enabled BOOLEAN NOT NULL DEFAULT true,
                saved_by VARCHAR,
                saved_at TIMESTAMP
            )""",
            """CREATE TABLE IF NOT EXISTS alerts (
                alert_id BIGINT PRIMARY KEY,
                rule_id VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                condition_key VARCHAR,
                state VARCHAR NOT NULL,
                kpi VARCHAR,
                site VARCHAR,
                dataset VARCHAR,
                month DATE,
                load_id BIGINT,
                seq BIGINT,
                before_value DOUBLE,
                after_value DOUBLE,
                message VARCHAR NOT NULL,
                link VARCHAR,
                created_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS alert_open (
                condition_key VARCHAR PRIMARY KEY,
                alert_id BIGINT NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS alert_deliveries (
                alert_id BIGINT NOT NULL,
                channel VARCHAR NOT NULL,
                target VARCHAR NOT NULL,
                status VARCHAR NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_at TIMESTAMP,
                last_error VARCHAR,
                sent_at TIMESTAMP,
                PRIMARY KEY (alert_id, channel, target)
            )""",
        ],
    ),
    (
        9,
        "loads.currency: each load's money in its own currency (issue 23)",
        [
            "ALTER TABLE loads ADD COLUMN IF NOT EXISTS currency VARCHAR",
            # Loads made before: the currency their pages showed (the choice, else the last
            # detected), the best that is known of them.
            """UPDATE loads SET currency = nullif(coalesce(
                   (SELECT CAST(value ->> '$' AS VARCHAR) FROM settings WHERE key = 'currency'),
                   (SELECT CAST(value ->> '$' AS VARCHAR) FROM settings
                    WHERE key = 'currency_detected')), '')
               WHERE currency IS NULL AND status = 'loaded' AND dataset IS NOT NULL""",
            # Exchange rates the admin enters: 1 `currency` = `rate` company currency, per month.
            """CREATE TABLE IF NOT EXISTS fx_rates (
                currency VARCHAR NOT NULL,
                month DATE NOT NULL,
                rate DOUBLE NOT NULL,
                "user" VARCHAR,
                entered_at TIMESTAMP,
                PRIMARY KEY (currency, month)
            )""",
        ],
    ),
    (
        10,
        "actions: what, owner, due, the pinned view they were raised from (issue 26)",
        [
            "CREATE SEQUENCE IF NOT EXISTS action_ids START 1",
            # state is 'open' or 'done'; overdue (open past due) is computed, never stored.
            """CREATE TABLE IF NOT EXISTS actions (
                action_id BIGINT PRIMARY KEY,
                kpi VARCHAR,
                what VARCHAR NOT NULL,
                owner VARCHAR NOT NULL,
                due DATE NOT NULL,
                note VARCHAR,
                link VARCHAR,
                seq BIGINT,
                pack_id BIGINT,
                state VARCHAR NOT NULL DEFAULT 'open',
                raised_by VARCHAR,
                raised_at TIMESTAMP NOT NULL,
                done_by VARCHAR,
                done_at TIMESTAMP
            )""",
        ],
    ),
    (
        11,
        "meeting packs: a pinned data version, its agenda and what changed (issue 26)",
        [
            "CREATE SEQUENCE IF NOT EXISTS pack_ids START 1",
            """CREATE TABLE IF NOT EXISTS meeting_packs (
                pack_id BIGINT PRIMARY KEY,
                name VARCHAR NOT NULL,
                seq BIGINT NOT NULL,
                view JSON,
                agenda JSON,
                changes JSON,
                prev_pack_id BIGINT,
                created_by VARCHAR,
                created_at TIMESTAMP NOT NULL
            )""",
        ],
    ),
    (
        12,
        "brief schedules and every send of one (issue 28)",
        [
            # Times are UTC. last_slot: the newest slot sent (or given up on); a slot missed
            # while the server was down is sent once when it is back, never once per slot.
            """CREATE TABLE IF NOT EXISTS brief_schedules (
                name VARCHAR PRIMARY KEY,
                cron VARCHAR NOT NULL,
                timezone VARCHAR NOT NULL DEFAULT 'UTC',
                view_url VARCHAR NOT NULL DEFAULT '',
                recipients VARCHAR[] NOT NULL,
                enabled BOOLEAN NOT NULL DEFAULT true,
                last_slot TIMESTAMP,
                saved_by VARCHAR,
                saved_at TIMESTAMP
            )""",
            "CREATE SEQUENCE IF NOT EXISTS brief_send_ids START 1",
            """CREATE TABLE IF NOT EXISTS brief_sends (
                send_id BIGINT PRIMARY KEY,
                schedule VARCHAR NOT NULL,
                slot TIMESTAMP,
                "at" TIMESTAMP NOT NULL,
                trigger VARCHAR NOT NULL,
                recipients VARCHAR[],
                status VARCHAR NOT NULL,
                error VARCHAR,
                link VARCHAR,
                version BIGINT,
                pdf_bytes BIGINT
            )""",
        ],
    ),
]


# Where each kind of kept item was before migration 6: a settings key holding a JSON object
# {name: item} (saved views, scenarios, queries: {value, user, shared, saved_at}; custom
# metrics and targets: the value itself).
_LEGACY_ITEMS = {"queries": "saved_queries", "views": "saved_views",
                 "scenarios": "saved_scenarios", "custom_metrics": "custom_metrics",
                 "targets": "targets"}  # fmt: skip


def _settings_to_items(cur) -> None:
    """Migration 6: each kept item becomes its own saved_items row; the keys are dropped."""
    for kind, key in _LEGACY_ITEMS.items():
        got = cur.execute("SELECT value FROM settings WHERE key = $k", {"k": key}).fetchone()
        for name, entry in (json.loads(got[0]) if got and got[0] else {}).items():
            if kind in ("custom_metrics", "targets"):
                entry = {"value": entry}
            cur.execute(
                "INSERT OR REPLACE INTO saved_items VALUES ($kind, $name, $owner, $shared, "
                "$value, $saved_at)",
                {"kind": kind, "name": str(name), "owner": entry.get("user"),
                 # Items saved before owners existed were shared.
                 "shared": bool(entry.get("shared", True)),
                 "value": json.dumps(entry.get("value")), "saved_at": entry.get("saved_at") or ""},
            )  # fmt: skip
        cur.execute("DELETE FROM settings WHERE key = $k", {"k": key})


def _asof_macro(ds: datasets.Dataset) -> str:
    """Rows of `ds` visible at a version; money converted into the company currency where a
    rate applies (the ONE place conversion happens: KPIs, charts, what-if, exports all read
    through here). Column names come from the catalogue."""
    money = [c for c in currency.MONEY_COLUMNS if c in ds.column_names]
    if not money:
        return (
            f"CREATE OR REPLACE MACRO {ds.name}_asof(as_of) AS TABLE SELECT * FROM {ds.name} "
            "WHERE _seg IN (SELECT seg_id FROM visible_segments(as_of))"
        )
    scaled = ", ".join(f"t.{c} * f.factor AS {c}" for c in money)
    return (
        f"CREATE OR REPLACE MACRO {ds.name}_asof(as_of) AS TABLE "
        f"SELECT t.* REPLACE ({scaled}) FROM {ds.name} t "
        "JOIN money_segments(as_of) f ON t._seg = f.seg_id"
    )


def _slice_macro(ds: datasets.Dataset) -> str:
    dims = datasets.filter_dimensions(ds)  # catalogue identifiers only
    params = "".join(f", f_{d} := NULL" for d in dims)
    where = " AND ".join(f"(f_{d} IS NULL OR list_contains(f_{d}, {d}))" for d in dims) or "true"
    return (
        f"CREATE OR REPLACE MACRO {ds.name}_slice(as_of{params}) AS TABLE "
        f"SELECT * FROM {ds.name}_asof(as_of) WHERE {where}"
    )


# The one setting the macros read (the company currency), as a view of its own: the SQL
# explorer's catalogue (cockpit/sqlsandbox.py) has no `settings` table and points it at the
# data file's instead, so the private table stays out of reach.
CURRENCY_SETTING = (
    "CREATE OR REPLACE VIEW currency_setting AS SELECT nullif(CAST(value ->> '$' AS VARCHAR),"
    " '') AS currency FROM {settings} WHERE key = 'currency'"
)


# Table macros are (re)created on every open: they hold no data and follow the code.
MACROS: list[str] = [
    """CREATE OR REPLACE MACRO live_loads(as_of) AS TABLE
        SELECT * FROM loads
        WHERE seq <= as_of AND (undone_seq IS NULL OR undone_seq > as_of)""",
    """CREATE OR REPLACE MACRO visible_segments(as_of) AS TABLE
        SELECT s.* FROM segments s
        WHERE s.load_id IN (SELECT load_id FROM live_loads(as_of))
          AND NOT EXISTS (
            SELECT 1 FROM supersessions x
            WHERE x.seg_id = s.seg_id
              AND x.by_load_id IN (SELECT load_id FROM live_loads(as_of)))""",
    # The company currency (Settings): what files naming none are in; rates convert into it.
    CURRENCY_SETTING.format(settings="settings"),
    "CREATE OR REPLACE MACRO company_currency() AS (SELECT currency FROM currency_setting)",
    # Each visible segment's money: its load's currency, and the factor into the company
    # currency when the admin entered a rate for that currency and month (else 1, unconverted;
    # `shown_in` says which currency the segment's money then is in).
    """CREATE OR REPLACE MACRO money_segments(as_of) AS TABLE
        SELECT s.seg_id, s.dataset, s.site, s.month, l.seq AS load_seq,
               nullif(l.currency, '') AS currency, r.rate,
               CASE WHEN r.rate IS NULL THEN nullif(l.currency, '')
                    ELSE company_currency() END AS shown_in,
               coalesce(r.rate, 1.0) AS factor
        FROM visible_segments(as_of) s
        JOIN loads l ON l.load_id = s.load_id
        LEFT JOIN fx_rates r
          ON r.currency = l.currency AND r.month = s.month
         AND l.currency IS DISTINCT FROM company_currency()""",
    *[_asof_macro(ds) for ds in datasets.DATASETS.values()],
    # Rows visible at a version, narrowed by optional filter lists (NULL = all):
    # `FROM orders_slice($as_of, f_site := $site)`. One definition instead of the same
    # predicates in every query.
    *[_slice_macro(ds) for ds in datasets.DATASETS.values()],
    # What an analyst means by "the orders": every row visible now.
    *[
        f"CREATE OR REPLACE VIEW {name}_live AS SELECT * FROM {name}_asof({LATEST})"
        for name in datasets.DATASETS
    ],
]


@dataclass
class Store:
    """One DuckDB connection for the process; hand out a cursor per query or transaction."""

    path: Path | str
    con: duckdb.DuckDBPyConnection
    uploads_dir: Path
    write_lock: threading.Lock
    temp_uploads: bool = False  # an in-memory store's uploads folder, removed on close
    spill_dir: Path | None = None  # where DuckDB spills (spill_dir()), removed on close
    # Identifies this connection in caches of query results (cockpit.kpis.memo).
    token: object = field(default_factory=object, compare=False, repr=False)
    # Reads every page run makes (the latest version, settings), kept until a write commits:
    # {key: (generation read at, value)}; `committed()` moves the generation on.
    _reads: dict = field(default_factory=dict, compare=False, repr=False)
    _generation: int = field(default=0, compare=False, repr=False)

    @classmethod
    def open(cls, path: Path | str | None = None, *, uploads_dir: Path | None = None) -> Store:
        """Open (creating and migrating) the database at `path` (":memory:" allowed)."""
        path = default_db_path() if path is None else path
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            up = uploads_dir or Path(path).parent / "uploads"
        else:
            import atexit
            import shutil
            import tempfile

            up = uploads_dir or Path(tempfile.mkdtemp(prefix="cockpit-uploads-"))
            if uploads_dir is None:  # removed on close, and at exit if never closed
                atexit.register(shutil.rmtree, up, True)
        spill = spill_dir(str(path))
        con = _connect(str(path), spill)
        if str(path) != ":memory:":
            # We hold the file now: no load of ours writes there, no query spills there.
            sweep_uploads(Path(up))
            _remove_tree(spill)
        store = cls(path=path, con=con, uploads_dir=Path(up), write_lock=threading.Lock(),
                    temp_uploads=str(path) == ":memory:" and uploads_dir is None,
                    spill_dir=spill)  # fmt: skip
        store.migrate()
        return store

    def is_open(self) -> bool:
        """Whether the connection still answers (a closed store is never handed out)."""
        try:
            self.con.cursor().close()
        except duckdb.ConnectionException:
            return False
        return True

    def close(self) -> None:
        self.con.close()
        if self.spill_dir is not None:
            _remove_tree(self.spill_dir)
        if self.temp_uploads:
            import shutil

            shutil.rmtree(self.uploads_dir, ignore_errors=True)

    # -- schema -------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply pending numbered migrations, each in its own transaction; return them."""
        cur = self.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
        )
        done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for version, name, statements in MIGRATIONS:
            if version in done:
                continue
            cur.begin()
            try:
                for stmt in statements:
                    stmt(cur) if callable(stmt) else cur.execute(stmt)
                cur.execute(
                    "INSERT INTO schema_migrations VALUES ($v, $n, current_timestamp)",
                    {"v": version, "n": name},
                )
                cur.commit()
            except BaseException:
                cur.rollback()
                raise
            applied.append(version)
        for stmt in MACROS:
            cur.execute(stmt)
        cur.close()
        return applied

    def schema_version(self) -> int:
        return self.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations")

    # -- queries ------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A fresh cursor: one per query, so threads never share a connection state."""
        cur = self.con.cursor()
        if str(self.path) != ":memory:":
            cur.execute(f"USE {CATALOG}")  # a new cursor starts in the in-memory catalog
        return cur

    def arrow(self, sql: str, params: dict | None = None) -> pa.Table:
        """Run one query with bound $named parameters and return an Arrow table."""
        cur = self.cursor()
        try:
            rel = cur.sql(sql, params=params or None)
            return rel.to_arrow_table() if rel is not None else pa.table({})
        finally:
            cur.close()

    def df(self, sql: str, params: dict | None = None):
        """Run one query and return a pandas DataFrame (through Arrow: much faster)."""
        return self.arrow(sql, params).to_pandas()

    def rows(self, sql: str, params: dict | None = None) -> list[dict]:
        """Run one query and return a list of row dicts."""
        return self.arrow(sql, params).to_pylist()

    def scalar(self, sql: str, params: dict | None = None):
        cur = self.cursor()
        try:
            row = cur.execute(sql, params or {}).fetchone()
            return None if row is None else row[0]
        finally:
            cur.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: committed on success, rolled back on any error.

        Writers are serialised in-process so two loads never conflict half-way.
        """
        with self.write_lock:
            cur = self.cursor()
            cur.begin()
            try:
                yield cur
                cur.commit()
            except BaseException:
                cur.rollback()
                raise
            finally:
                cur.close()
            self.committed()

    def committed(self) -> None:
        """A write was committed: the cached reads are out of date. (Store.transaction calls
        it; so must any other code that commits a write through its own cursor.)"""
        self._generation += 1

    def _cached_read(self, key: str, compute):
        generation = self._generation
        hit = self._reads.get(key)
        if hit is not None and hit[0] == generation:
            return hit[1]
        value = compute()
        # Kept only if no write committed meanwhile (it might have been read before it).
        if self._generation == generation:
            self._reads[key] = (generation, value)
        return value

    # -- versions -----------------------------------------------------------------------
    def latest_seq(self) -> int:
        """The newest version number: the last load or undo."""
        return self._cached_read("latest_seq", self._read_latest_seq)

    def _read_latest_seq(self) -> int:
        return int(
            self.scalar(
                "SELECT coalesce(max(greatest(seq, coalesce(undone_seq, 0))), 0) FROM loads"
            )
        )

    def seq_time(self, seq: int):
        """When version `seq` was made (a load's or an undo's time), or None."""
        return self.scalar(
            "SELECT max(t) FROM (SELECT loaded_at t FROM loads WHERE seq = $s "
            "UNION ALL SELECT undone_at FROM loads WHERE undone_seq = $s)",
            {"s": seq},
        )

    def has_data(self) -> bool:
        return bool(self.scalar("SELECT count(*) FROM loads WHERE status = 'loaded'"))

    # -- settings and audit ---------------------------------------------------------------
    def get_setting(self, key: str, default=None):
        raw = self._cached_read(("setting", key), lambda: self._read_setting(key))
        return default if raw is None else json.loads(raw)

    def _read_setting(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM settings WHERE key = $k", {"k": key})

    def set_setting(self, key: str, value, user: str | None = None) -> None:
        with self.transaction() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO settings VALUES ($k, $v)",
                {"k": key, "v": json.dumps(value)},
            )
            audit(cur, user, "setting", {"key": key, "value": value})

    # -- uploads ------------------------------------------------------------------------
    def keep_upload(self, data: bytes, name: str, digest: str | None = None) -> Path:
        """Keep the original bytes beside the database, named by their hash."""
        digest = digest or sha256(data)
        ext = Path(name).suffix.lower()
        target = self.uploads_dir / digest[:2] / f"{digest}{ext}"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(target.suffix + ".tmp")
            try:
                tmp.write_bytes(data)
                tmp.replace(target)
            except BaseException:
                # A partial copy on a full disk would keep it full for the next load too.
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
        return target

    def upload_path(self, digest: str) -> Path | None:
        folder = self.uploads_dir / digest[:2]
        if not folder.exists():
            return None
        for p in folder.iterdir():
            if p.name.startswith(digest) and not p.name.endswith(".tmp"):
                return p
        return None


def sweep_uploads(folder: Path) -> list[Path]:
    """Remove the partial copies (`<xx>/<sha>.<ext>.tmp`) of loads killed while keeping their
    file; only the process holding the database writes there. Return what was removed."""
    removed = []
    for tmp in folder.glob("*/*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def audit(cur, user: str | None, action: str, detail: dict) -> None:
    """Record who did what (inside the caller's transaction)."""
    cur.execute(
        'INSERT INTO audit ("at", "user", action, detail) VALUES (current_timestamp, $u, $a, $d)',
        {"u": user or "local", "a": action, "d": json.dumps(detail, default=str)},
    )


# Half DuckDB's default of 122,880: a load's rows are written to the file as each row group
# fills, in parallel, and only the last partial group waits for the commit's checkpoint
# (single-threaded). With the default, a 100k-row upload was all checkpoint (measured: the
# commit of 100k rows 0.38 s -> 0.23 s; the file is no bigger, scans are unchanged).
ROW_GROUP_ROWS = 65_536
CATALOG = "cockpit"


# The instance's memory and spill caps (global in DuckDB: they cannot be set per cursor, so
# they bound the SQL explorer and everything else alike). A runaway list()/string_agg() in the
# explorer fails with "Out of Memory" at the cap instead of taking the machine.
DEFAULT_MEMORY_LIMIT = "4GB"
DEFAULT_TEMP_LIMIT = "8GB"


def resource_settings(con: duckdb.DuckDBPyConnection) -> None:
    """Apply $COCKPIT_MEMORY_LIMIT / $COCKPIT_TEMP_LIMIT (DuckDB sizes like "2GB")."""
    memory = os.environ.get("COCKPIT_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT
    temp = os.environ.get("COCKPIT_TEMP_LIMIT") or DEFAULT_TEMP_LIMIT
    con.execute(f"SET memory_limit = '{_size(memory)}'")
    con.execute(f"SET max_temp_directory_size = '{_size(temp)}'")


def _size(text: str) -> str:
    """A DuckDB size ("4GB", "512 MiB"), checked: it is formatted into a SET statement."""
    import re

    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*[KMGT]i?B\s*", text, re.IGNORECASE):
        raise ValueError(f"not a size like 4GB: {text!r}")
    return text.strip()


_SPILLS = iter(range(1, 1 << 62))


def spill_dir(path: str) -> Path:
    """Where DuckDB spills for the database at `path`: `<db>.tmp/` beside a file, and for an
    in-memory database a folder of this process in the temp dir (`cockpit-spill-<pid>-N`,
    removed at exit, or by cockpit.ingest.scratch.sweep once the process is gone). Never
    the working directory: the default of the in-memory instance the file is attached to
    is `./.tmp`. DuckDB creates the folder when it first spills."""
    if path != ":memory:":
        return Path(path + ".tmp")
    import tempfile

    n = next(_SPILLS)
    if n == 1:
        import atexit

        atexit.register(_remove_spills, tempfile.gettempdir(), os.getpid())
    return Path(tempfile.gettempdir()) / f"cockpit-spill-{os.getpid()}-{n}"


def _remove_spills(folder: str, pid: int) -> None:
    for spill in Path(folder).glob(f"cockpit-spill-{pid}-*"):
        _remove_tree(spill)


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _connect(path: str, spill: Path) -> duckdb.DuckDBPyConnection:
    """The process's connection. A file is attached with our row group size, which is an
    ATTACH option only (not a connect setting), under the catalog name `cockpit`."""
    config = {"temp_directory": str(spill)}
    if path == ":memory:":
        con = duckdb.connect(path, config=config)
        resource_settings(con)
        return con
    con = duckdb.connect(config=config)
    resource_settings(con)
    con.execute(f"ATTACH $path AS {CATALOG} (ROW_GROUP_SIZE {ROW_GROUP_ROWS})", {"path": path})
    con.execute(f"USE {CATALOG}")
    return con


def unregister(cur, name: str) -> None:
    """Unregister an Arrow source after a write, also when the write failed: a failed write
    (disk full, read-only folder) aborts the transaction, and unregistering then raises a
    TransactionException that would hide the real error behind a traceback."""
    with contextlib.suppress(duckdb.Error):
        cur.unregister(name)


def in_row_groups(table: pa.Table) -> pa.Table:
    """`table` re-cut into chunks of exactly one DuckDB row group, for bulk inserts.

    Chunks of that size are written straight to the database file by parallel threads
    (optimistic writes); other cuts go through the WAL and are written again at the next
    checkpoint, or are inserted by one thread.
    """
    return pa.Table.from_batches(
        table.combine_chunks().to_batches(max_chunksize=ROW_GROUP_ROWS), schema=table.schema
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def get_store(path: Path | str | None = None) -> Store:
    """The process-wide Store for `path` (one connection per database per process)."""
    key = str(Path(path).resolve()) if path not in (None, ":memory:") else str(path)
    if path is None:
        key = str(default_db_path().resolve())
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None or not store.is_open():
            store = Store.open(path if path is not None else default_db_path())
            _STORES[key] = store
        return store


def is_lock_error(exc: BaseException) -> bool:
    """Whether `exc` says another process holds the database file."""
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


BUSY_MESSAGE = "The database is busy (a load is running); retrying"
