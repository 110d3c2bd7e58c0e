"""The HTTP API served beside the pages, by the app's own process (Streamlit's ASGI st.App
with custom routes; see server.py). One process holds the DuckDB file, so the command line,
a scheduled load and any script go through here instead of opening the file.

    GET  /api/health            liveness, schema version, newest version, loads waiting
    GET  /api/kpis?...          the `cockpit kpis --json` document; the page URL's parameters
                                (period=quarter, month=2025-03, compare, f_site=..., asof) or
                                the CLI's (period=2025-03, period_kind, from, to, filter=site=X)
    GET  /api/loads             the loads ledger (`cockpit loads --json`)
    POST /api/loads?file=NAME   body: the file's bytes; options dataset, sheet, map=canon=Source
                                (repeatable), append=1. Queued: 202 with the job and how many
                                loads are ahead; GET /api/jobs/ID until it is done.
                                recipe=NAME: apply that saved import recipe instead of detection
    GET  /api/recipes           the saved import recipes: name, version, dataset, loads, TOML
    POST /api/loads/ID/undo     undo a load (analysts their own, admins any)
    GET  /api/whatif?...        the `cockpit whatif --json` document (driver=volume=+15%, ...)
    GET  /api/goalseek?...      the `cockpit goalseek --json` document (output, target, driver)
    POST /api/demo              seed the demo company through the load queue (admin)
    POST /api/sql               {"query", "max_rows", "timeout"}: one read-only SELECT
    POST /api/session           the pages' own: {"ticket"} from a password sign-in, answered
                                with the session cookie (HttpOnly); DELETE drops it
    POST /api/users/NAME/unlock lift the sign-in lock on NAME (admins; `cockpit user --unlock`)
    GET  /api/brief?view=URL&format=pdf   the view's one-page brief (`cockpit brief --pdf`):
                                {file_name, pdf_base64 | html, link, version, notices}
    GET  /api/briefs            {schedules, sends}: the brief schedules and every send
                                (schedule=NAME: its sends only)
    POST /api/briefs/NAME/send  e-mail a schedule's brief now, recorded (admins)
    POST /api/briefs/due        send the schedules that are due (admins; the server's tick)

Every call but health and session needs `Authorization: Bearer TOKEN` (cockpit.tokens, or
the local token of the server file) and is audited with its user, method, path and status.
Roles are the core's: cockpit.auth decides, as for the pages.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import math
import time
from types import SimpleNamespace

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cockpit import auth, ledger, links, loadqueue, serverfile, sessions, tokens
from cockpit import store as store_mod
from cockpit.commands import json_default
from cockpit.kpis import warm
from cockpit.screens import dataops

log = logging.getLogger(__name__)

MAX_BODY = 200 * 1024**2  # the upload limit of the pages (and of the ingest)
MAX_SQL_BODY = 1024**2  # one query of at most sqlguard.MAX_SQL_CHARS, with room for options
MAX_SQL_ROWS = 100_000


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Server:
    """What the API needs from the process: the database path, the store, the load queue."""

    def __init__(self, db) -> None:
        self.db = db
        self.queue = loadqueue.shared()  # the Data page's loads wait in it too
        self.info: dict | None = None  # the server file, once written
        self.warm = False  # the default view is computed (cockpit.kpis.warm)
        self.schedule_ticks = 0  # the scheduler loop's rounds so far (GET /api/health)

    def warm_up(self, store, warm_pages=None) -> None:
        """Compute the default view before anyone asks: `warm_pages(store)` when the pages
        are served beside us, else its queries into the shared memo. A failure only costs
        speed."""
        try:
            (warm_pages or warm.default_view)(store)
        except Exception:  # noqa: BLE001 - never let a warm-up stop the server
            log.exception("warm-up of the default view failed")
        self.warm = True

    def store(self) -> store_mod.Store:
        try:
            return store_mod.get_store(self.db)
        except Exception as exc:
            if store_mod.is_lock_error(exc):
                raise ApiError(503, store_mod.BUSY_MESSAGE) from None
            raise

    def user(self, request: Request) -> auth.User:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not token:
            raise ApiError(401, "send Authorization: Bearer TOKEN (python -m cockpit token NAME)")
        local = (self.info or {}).get("local_token")
        if local and len(token) == len(local) and _same(token, local):
            return auth.User("local-cli", "admin")
        user = tokens.user_for(self.db, token)
        if user is None:
            raise ApiError(401, "unknown or revoked token")
        return user


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


SERVER: Server | None = None


def server() -> Server:
    global SERVER
    if SERVER is None:
        SERVER = Server(store_mod.default_db_path().resolve())
    return SERVER


def _json(value, status: int = 200) -> Response:
    try:
        body = json.dumps(value, default=json_default, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or infinity somewhere: not JSON, so they are sent as null
        body = json.dumps(_finite(value), default=json_default, ensure_ascii=False)
    return Response(body, status_code=status, media_type="application/json")


def _finite(value):
    """`value` with every NaN and infinite float replaced by None (strict JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def endpoint(*, needs: str | None):
    """Wrap a handler: resolve the user, check `needs`, run it off the event loop, audit."""

    def wrap(fn):
        async def handler(request: Request) -> Response:
            srv = server()
            user, status = None, 500
            try:
                if needs is not None:
                    user = srv.user(request)
                    auth.require(user, needs)
                status, value = await fn(request, srv, user)
                return _json(value, status)
            except ApiError as exc:
                status = exc.status
                return _json({"error": str(exc)}, status)
            except auth.PermissionDenied as exc:
                status = 403
                return _json({"error": str(exc)}, status)
            except (KeyError, ValueError) as exc:
                status = 400
                return _json({"error": str(exc.args[0] if exc.args else exc)}, status)
            except SystemExit as exc:  # a command-line argument helper refusing a value
                status = 400
                return _json({"error": str(exc.code).removeprefix("error: ")}, status)
            finally:
                if needs is not None:
                    await run_in_threadpool(_audit, srv, user, request, status)

        return handler

    return wrap


def _audit(srv: Server, user, request: Request, status: int) -> None:
    # Its own autocommitted insert, outside Store.transaction's writer lock: a read audited
    # while a load's transaction is open must not wait for the load (appends never conflict).
    try:
        cur = srv.store().cursor()
    except ApiError:
        return  # the store is not open yet: nothing to audit into
    try:
        store_mod.audit(
            cur,
            user.name if user else "(no valid token)",
            "api",
            {"method": request.method, "path": request.url.path, "status": status},
        )
    finally:
        cur.close()


@endpoint(needs=None)
async def health(request, srv, user):
    def read():
        store = srv.store()
        return {
            "status": "ok",
            "schema_version": store.schema_version(),
            "latest_seq": store.latest_seq(),
            "loads_waiting": srv.queue.waiting(),
            "warm": srv.warm,
            "schedule_ticks": srv.schedule_ticks,
        }

    return 200, await run_in_threadpool(read)


def kpi_args(params) -> SimpleNamespace:
    """`cockpit kpis` arguments from a query string in the page URL's or the CLI's words."""
    period = params.get("period")
    cli_keys = {"period_kind", "from", "to", "filter"}
    month_like = period is not None and len(period) == 7 and period[4] == "-"
    cli_style = month_like or any(k in params for k in cli_keys)
    args = SimpleNamespace(
        period=None, from_=params.get("from"), to=params.get("to"), period_kind="month",
        filter=list(params.getlist("filter")), compare=params.get("compare", "prev"), asof=None,
    )  # fmt: skip
    if cli_style:
        args.period = period if month_like else None
        args.period_kind = params.get("period_kind", "month")
    else:
        page = {k: params.getlist(k) for k in params}
        state, notices = links.from_query_params(page)
        if notices:  # the page ignores what it cannot read; the API refuses the request
            reasons = "; ".join(n.removeprefix("Ignored ") for n in notices)
            raise ApiError(400, f"Refused: the request's parameters are not valid: {reasons}")
        args.period_kind, args.period, args.compare = state.period, state.month, state.compare
        args.filter += [f"{d}={v}" for d, values in state.filters for v in values]
        args.asof = state.asof
    if params.get("asof") is not None and args.asof is None:
        args.asof = int(params["asof"])
    return args


@endpoint(needs="read")
async def kpis(request, srv, user):
    from cockpit.commands import kpis as kpis_cmd

    args = kpi_args(request.query_params)
    return 200, await run_in_threadpool(lambda: kpis_cmd.report(srv.store(), args))


@endpoint(needs="read")
async def loads_list(request, srv, user):
    from cockpit.commands.loads import FIELDS

    changes = request.query_params.get("changes")
    if changes is not None:  # what load N changed on the scorecard (cockpit loads --changes N)
        from cockpit.kpis.changes import load_changes

        try:
            load_id = int(changes)
            return 200, await run_in_threadpool(lambda: load_changes(srv.store(), load_id))
        except (ValueError, KeyError) as exc:
            raise ApiError(404, f"no load {changes!r}") from exc
    rows = await run_in_threadpool(lambda: ledger.list_loads(srv.store()))
    return 200, [{k: r[k] for k in FIELDS} for r in rows]


@endpoint(needs="read")
async def alerts_list(request, srv, user):
    """The alerts, newest first (`kpi`, `state` narrow them): cockpit alerts --json."""
    from cockpit import alerts

    q = request.query_params
    rows = await run_in_threadpool(
        lambda: alerts.list_alerts(srv.store(), user, kpi=q.get("kpi"), state=q.get("state"))
    )
    return 200, alerts.as_json(rows)


@endpoint(needs="read")
async def actions_list(request, srv, user):
    """The actions, overdue first (`kpi`, `owner`, `status` narrow them): cockpit actions --json."""
    from cockpit import actions

    q = request.query_params
    states = tuple(s for s in q.getlist("status") if s in actions.STATES) or None
    rows = await run_in_threadpool(
        lambda: actions.list_actions(
            srv.store(), user, kpi=q.get("kpi"), owner=q.get("owner"), states=states
        )  # fmt: skip
    )
    return 200, actions.as_json(rows)


@endpoint(needs="read")
async def brief(request, srv, user):
    """The view's brief (`view`: its link or query string) as PDF or HTML."""
    from cockpit.commands import brief as brief_cmd

    q = request.query_params
    fmt = q.get("format", "pdf")
    if fmt not in ("pdf", "html"):
        raise ApiError(400, "format is pdf or html")

    def make():
        from cockpit.export.pdf import PdfUnavailable

        try:
            return brief_cmd.document(srv.store(), q.get("view"), fmt)
        except PdfUnavailable as exc:
            raise ApiError(503, str(exc)) from None

    return 200, await run_in_threadpool(make)


@endpoint(needs="read")
async def briefs_list(request, srv, user):
    """The brief schedules and the sends, newest first (`schedule` narrows the sends)."""
    from cockpit.briefs import schedule
    from cockpit.commands import brief as brief_cmd

    def read():
        store = srv.store()
        return {
            "schedules": brief_cmd.schedules_doc(store, user),
            "sends": schedule.list_sends(
                store, user, schedule=request.query_params.get("schedule")
            ),
        }

    return 200, await run_in_threadpool(read)


@endpoint(needs="settings")
async def brief_send(request, srv, user):
    from cockpit.briefs import schedule

    name = request.path_params["name"]
    return 200, await run_in_threadpool(lambda: schedule.send_now(srv.store(), user, name))


@endpoint(needs="settings")
async def briefs_due(request, srv, user):
    from cockpit.briefs import schedule

    return 200, await run_in_threadpool(lambda: schedule.tick(srv.store(), trigger="api"))


def whatif_args(params, *, goalseek: bool = False) -> SimpleNamespace:
    """`cockpit whatif` (or `goalseek`) arguments from a query string: driver=volume=+15%
    (repeat; for goal seek the driver to move, with set=name=+15% held), baseline_months,
    filter=dim=value (repeat), asof, month=YYYY-MM; goal seek also output and target."""
    asof = params.get("asof")
    args = SimpleNamespace(
        baseline_months=int(params.get("baseline_months", 3)),
        filter=list(params.getlist("filter")),
        asof=int(asof) if asof else None,
        month=params.get("month") or None,
    )
    if not goalseek:
        args.driver = list(params.getlist("driver"))
        return args
    missing = [k for k in ("output", "target", "driver") if not params.get(k)]
    if missing:
        raise ApiError(400, "say the " + ", ".join(missing) + ": GET /api/goalseek?output="
                       "asa_seconds&target=20&driver=agents")  # fmt: skip
    args.output, args.target, args.driver = (
        params["output"],
        float(params["target"]),
        params["driver"],
    )
    args.set = list(params.getlist("set"))
    return args


@endpoint(needs="read")
async def whatif(request, srv, user):
    from cockpit.commands import whatif as whatif_cmd

    args = whatif_args(request.query_params)
    return 200, await run_in_threadpool(lambda: whatif_cmd.document(srv.store(), args))


@endpoint(needs="read")
async def goalseek(request, srv, user):
    from cockpit.commands import goalseek as goalseek_cmd

    args = whatif_args(request.query_params, goalseek=True)
    return 200, await run_in_threadpool(lambda: goalseek_cmd.document(srv.store(), args))


def _month_param(text: str | None):
    """?month=2024-03: the month a file without dates covers."""
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ApiError(400, f"month must be YYYY-MM, not {text!r}") from None


async def _body(request: Request, limit: int = MAX_BODY, what: str = "the file") -> bytes:
    """The request body, refused with 413 once it is over `limit` bytes (never read whole)."""
    too_big = ApiError(413, f"{what} is over the {limit // 1024**2} MB limit of {request.url.path}")
    size = request.headers.get("content-length")
    if size is not None and (not size.isdigit() or int(size) > limit):
        raise too_big if size.isdigit() else ApiError(400, "Content-Length must be a number")
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


@endpoint(needs="upload")
async def loads_post(request, srv, user):
    from cockpit.commands.load import parse_maps
    from cockpit.ingest.pipeline import load_files

    q = request.query_params
    name = q.get("file")
    if not name:
        raise ApiError(400, "say the file's name: POST /api/loads?file=march.xlsx")
    data = await _body(request)
    append = q.get("append", "0").lower() in ("1", "true", "yes")
    if q.get("replace", "").lower() in ("0", "false", "no"):
        append = True
    if q.get("recipe"):
        return await _load_with_recipe(srv, user, name, data, q.get("recipe"), append, q)
    options = {
        "replace": not append,
        "dataset": q.get("dataset") or None,
        "sheet": q.get("sheet") or None,
        "columns": parse_maps(q.getlist("map")),
        "month": _month_param(q.get("month")),
    }

    def run() -> dict:
        report = load_files(srv.store(), [(name, data)], user=user, **options)
        return report.to_dict()

    job = srv.queue.submit(name, run)
    return await _answer_job(srv, job, q)


@endpoint(needs="seed_demo")
async def demo(request, srv, user):
    """Seed the demo company through the load queue (behind any load waiting there)."""
    from cockpit.commands.demo import seed

    q = request.query_params
    if_empty = q.get("if_empty", "0").lower() in ("1", "true", "yes")
    job = srv.queue.submit("demo data", lambda: seed(srv.store(), if_empty=if_empty,
                                                     user=user.name))  # fmt: skip
    return await _answer_job(srv, job, q)


async def _load_with_recipe(srv, user, name, data, recipe_name, append, q):
    """POST /api/loads?recipe=NAME: the saved recipe's latest version, in the load queue."""
    from cockpit import recipes
    from cockpit.ingest.model import LoadReport

    try:
        recipe, version = await run_in_threadpool(lambda: recipes.get(srv.store(), recipe_name))
    except recipes.RecipeError as exc:
        raise ApiError(404, str(exc)) from None
    if q.get("sheet"):
        recipe.sheet = q.get("sheet")

    def run() -> dict:
        report = LoadReport()
        report.files.append(recipes.load(srv.store(), data, name, recipe, version=version,
                                         user=user, replace=not append))  # fmt: skip
        return report.to_dict()

    job = srv.queue.submit(name, run)
    return await _answer_job(srv, job, q)


@endpoint(needs="read")
async def recipes_list(request, srv, user):
    from cockpit import recipes

    def read() -> list[dict]:
        store = srv.store()
        out = []
        for row in recipes.list_recipes(store):
            recipe, _ = recipes.get(store, row["name"])
            out.append({**row, "toml": recipe.to_toml()})
        return out

    return 200, await run_in_threadpool(read)


async def _answer_job(srv: Server, job: loadqueue.Job, q) -> tuple[int, dict]:
    """A queued job's answer: 202 with its place in the queue, or 200 with its report when
    the call asked to `wait` and it is done."""
    ahead = srv.queue.ahead(job)
    if q.get("wait", "0").lower() in ("1", "true", "yes"):
        await asyncio.get_running_loop().run_in_executor(None, job.done.wait)
    return (200 if job.done.is_set() else 202), _job_doc(srv, job, ahead)


def _job_doc(srv: Server, job: loadqueue.Job, ahead: int | None = None) -> dict:
    doc = {"job": job.id, "file": job.describe, "state": job.state}
    if job.state == "queued":
        doc["ahead"] = srv.queue.ahead(job) if ahead is None else ahead
    if job.result is not None:
        doc["report"] = job.result
    if job.error is not None:
        doc["error"] = job.error
    return doc


@endpoint(needs="upload")
async def job_get(request, srv, user):
    job = srv.queue.get(int(request.path_params["job_id"]))
    if job is None:
        raise ApiError(404, "no such job (finished jobs are kept for a while only)")
    return 200, _job_doc(srv, job)


@endpoint(needs="undo_own")
async def undo(request, srv, user):
    load_id = int(request.path_params["load_id"])

    def run():
        try:
            return dataops.undo_load(srv.store(), load_id, user)
        except KeyError:
            raise ApiError(404, f"There is no load {load_id}; nothing was undone.") from None

    seq = await run_in_threadpool(run)
    return 200, {"load_id": load_id, "version": seq}


@endpoint(needs="sql")
async def sql(request, srv, user):
    from cockpit.sqlguard import QueryRefused, run_readonly

    query, max_rows, timeout = _sql_request(await _body(request, MAX_SQL_BODY, "The query"))

    def run():
        try:
            r = run_readonly(srv.store(), query, max_rows=max_rows, timeout_s=timeout, user=user)
        except QueryRefused as exc:
            raise ApiError(400, str(exc)) from None
        return {"rows": r.table.to_pylist(), "columns": r.table.column_names,
                "truncated": r.truncated}  # fmt: skip

    return 200, await run_in_threadpool(run)


async def session_cookie(request: Request) -> Response:
    """The cookie of a password sign-in (cockpit.sessions): POST {"ticket"} sets it for the
    one-time ticket the page handed its browser; DELETE drops it. Not audited: the sign-in
    and sign-out themselves are."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
    options = {"path": "/", "httponly": True, "samesite": "lax",
               "secure": "https" in (request.url.scheme, forwarded)}  # fmt: skip
    response = Response(status_code=204)
    if request.method == "DELETE":
        response.delete_cookie(sessions.COOKIE, **options)
        return response
    try:
        ticket = json.loads(await request.body() or b"{}").get("ticket")
    except (ValueError, AttributeError):
        ticket = None
    cookie = sessions.redeem(ticket if isinstance(ticket, str) else None)
    if cookie is None:
        return _json({"error": "unknown or expired sign-in ticket: please sign in again"}, 404)
    response.set_cookie(sessions.COOKIE, cookie, max_age=sessions.MAX_S, **options)
    return response


@endpoint(needs="users")
async def unlock(request, srv, user):
    from cockpit import login

    name = request.path_params["name"]
    found = await run_in_threadpool(lambda: login.unlock(srv.store(), name, user=user))
    return 200, {"name": name, "unlocked": found}


def _sql_request(body: bytes) -> tuple[str, int, float]:
    """(query, max_rows, timeout) from a /api/sql body, or a 400 saying what is wrong."""
    from cockpit.sqlguard import QueryRefused, clamp_timeout

    try:
        doc = json.loads(body or b"{}")
    except ValueError:  # not JSON, or not UTF-8
        doc = None
    if not isinstance(doc, dict):
        raise ApiError(400, 'Send a JSON object: {"query": "select ...", "max_rows": 100}')
    query = doc.get("query") or ""
    if not isinstance(query, str):
        raise ApiError(400, '"query" must be a string holding one SELECT statement.')
    max_rows = doc.get("max_rows", 10_000)
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise ApiError(400, f'"max_rows" must be a whole number of rows from 1, not {max_rows!r}.')
    try:
        timeout = clamp_timeout(doc.get("timeout", 30.0))
    except QueryRefused as exc:
        raise ApiError(400, str(exc)) from None
    return query, min(max_rows, MAX_SQL_ROWS), timeout


def routes() -> list[Route]:
    return [
        Route("/api/health", health, methods=["GET"]),
        Route("/api/kpis", kpis, methods=["GET"]),
        Route("/api/whatif", whatif, methods=["GET"]),
        Route("/api/goalseek", goalseek, methods=["GET"]),
        Route("/api/demo", demo, methods=["POST"]),
        Route("/api/loads", loads_list, methods=["GET"]),
        Route("/api/alerts", alerts_list, methods=["GET"]),
        Route("/api/actions", actions_list, methods=["GET"]),
        Route("/api/loads", loads_post, methods=["POST"]),
        Route("/api/loads/{load_id:int}/undo", undo, methods=["POST"]),
        Route("/api/jobs/{job_id:int}", job_get, methods=["GET"]),
        Route("/api/recipes", recipes_list, methods=["GET"]),
        Route("/api/sql", sql, methods=["POST"]),
        Route("/api/session", session_cookie, methods=["POST", "DELETE"]),
        Route("/api/users/{name}/unlock", unlock, methods=["POST"]),
        Route("/api/brief", brief, methods=["GET"]),
        Route("/api/briefs", briefs_list, methods=["GET"]),
        Route("/api/briefs/due", briefs_due, methods=["POST"]),
        Route("/api/briefs/{name}/send", brief_send, methods=["POST"]),
    ]


def start(port: int, host: str = "127.0.0.1", warm_pages=None) -> Server:
    """Server start-up (the ASGI lifespan): sweep killed loads' scratch, open the store (or
    keep retrying while another process holds it), say where we listen, then warm up the
    default view (`warm_pages(store)`, e.g. the pages' imports and caches)."""
    from cockpit.ingest import scratch

    srv = server()
    scratch.sweep()
    srv.db.parent.mkdir(parents=True, exist_ok=True)
    srv.info = serverfile.write(srv.db, f"http://{host}:{port}")

    def open_when_free():
        while True:
            try:
                store = srv.store()
                break
            except ApiError:
                time.sleep(1.0)
        # The stale-data rules once a day and the brief schedules each minute, from now.
        threading.Thread(target=_scheduler, args=(srv,), name="cockpit-schedule",
                         daemon=True).start()  # fmt: skip
        srv.warm_up(store, warm_pages)
        # Each load makes a new version: warm its default view too, beside the next load.
        srv.queue.after_each = lambda: threading.Thread(
            target=srv.warm_up, args=(srv.store(), warm_pages), name="cockpit-warm", daemon=True
        ).start()

    import threading

    threading.Thread(target=open_when_free, name="cockpit-open", daemon=True).start()
    _stop_queries_on_signals()
    return srv


def _stop_queries_on_signals() -> None:
    """On SIGTERM or SIGINT, interrupt the running explorer queries first: the server waits for
    open requests before its shutdown (and stop() below), and a query may run for minutes."""
    import signal

    from cockpit import sqlguard

    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)

        def handler(signum, frame, previous=previous):
            sqlguard.interrupt_all()
            if callable(previous):
                previous(signum, frame)
            else:
                signal.signal(signum, signal.SIG_DFL)
                signal.raise_signal(signum)

        try:
            signal.signal(sig, handler)
        except ValueError:  # not the main thread (an embedding server): stop() still interrupts
            return


DAILY_S = 24 * 3600
TICK_S = 60.0


def _scheduler(srv: Server) -> None:
    """The server's clock: the stale-data alert rules once a day, the brief schedules each
    minute (a schedule missed while the server was down is sent once, on the first round)."""
    from cockpit import alerts
    from cockpit.alerts import deliver
    from cockpit.briefs import schedule

    last_daily = None
    while not srv.queue.stopped:
        try:
            store = srv.store()
            if last_daily is None or time.monotonic() - last_daily >= DAILY_S:
                last_daily = time.monotonic()
                alerts.daily_check(store)
                deliver.kick(store)  # retries left by a CLI load or an earlier run
            schedule.tick(store)
        except Exception:  # noqa: BLE001 - the next round tries again
            log.exception("scheduled work failed")
        srv.schedule_ticks += 1
        time.sleep(TICK_S)


def stop() -> None:
    from cockpit import sqlguard

    srv = server()
    sqlguard.interrupt_all()
    srv.queue.stop()
    serverfile.remove(srv.db, srv.info)
