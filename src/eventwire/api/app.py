"""The REST API and the page, one FastAPI app over an event store.

    app = create_app("sqlite:///eventwire.db", allow_ingest=False, tiles=None)

Read-only by default: `POST /ingest` answers 403 unless the app was made with `allow_ingest=True`.
Every error is JSON `{"error": "..."}` with one line naming the parameter or field: 400 for a value
the API cannot use (a bad date, an unknown event type, `near` not `lat,lon,km`), 404 for an unknown
article or path, 403 for ingest without the flag, 413 for a request body over `max_body` bytes and
422 for a parameter or body of the wrong shape.
"""

from __future__ import annotations

import json
import os
import re
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from eventwire.api import models as m
from eventwire.api.articles import article_view
from eventwire.schema import Report
from eventwire.store import StoreError
from eventwire.store.db import check_date, parse_near

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"  # the page, its scripts and vendored assets
MAX_BODY = 1_000_000
MAX_LIMIT = 5000
ERRORS = {code: {"model": m.ErrorBody} for code in (400, 422)}


class Json(Response):
    """JSON without FastAPI's re-encoding pass: the store's rows are plain JSON values already."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def error(status: int, message: str) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


# -- request body limit ----------------------------------------------------------------------------


class BodyLimit:
    """ASGI middleware: answer 413 to a request whose body is over `limit` bytes.

    A declared Content-Length over the limit is refused before reading; a chunked body is read up
    to the limit and refused as soon as it passes it. Bodies within the limit are replayed to the app.
    """

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(send, int(declared))
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return await self._refuse(send, size, at_least=True)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def _refuse(self, send, size: int, at_least: bool = False) -> None:
        more = "over " if at_least else ""
        body = json.dumps({"error": f"request body: {more}{size} bytes is larger than the limit of "
                                    f"{self.limit} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


# -- query filters ---------------------------------------------------------------------------------


def event_filters(
    type: Optional[str] = Query(None, description="PLOVER event type, e.g. ASSAULT"),
    country: Optional[str] = Query(None, description="country of the event's place: ISO 3166 alpha-2, alpha-3 or name"),
    since: Optional[str] = Query(None, description="first day, YYYY-MM-DD"),
    until: Optional[str] = Query(None, description="last day, YYYY-MM-DD"),
    near: Optional[str] = Query(None, description="LAT,LON,KM: events within KM kilometres of the point"),
    source: Optional[str] = Query(None, description="outlet or speaker"),
    side: Optional[str] = Query(None, description="a country taking part, as actor or recipient (alpha-3, alpha-2 or name)"),
) -> dict[str, Any]:
    """The CLI's filters, checked by the store's own parsers: a StoreError (one line naming the
    parameter) becomes a 400."""
    first, last = check_date(since, "since"), check_date(until, "until")
    if first and last and first > last:
        raise error(400, f"since: {first} is after until: {last}")
    given = {"type": type, "country": country, "since": first, "until": last, "near": parse_near(near),
             "source": source, "side": side}
    return {k: v.strip() if isinstance(v, str) else v for k, v in given.items()
            if v is not None and (not isinstance(v, str) or v.strip())}


def paging(
    limit: int = Query(100, ge=1, le=MAX_LIMIT, description=f"rows per page (1..{MAX_LIMIT})"),
    offset: int = Query(0, ge=0, description="rows to skip"),
) -> dict[str, int]:
    return {"limit": limit, "offset": offset}


# -- the app ---------------------------------------------------------------------------------------


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body",)]
        where = ".".join(loc[1:] if loc and loc[0] in ("query", "path") else loc) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"{request.url.path}: no such path"
        return JSONResponse({"error": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(StoreError)
    async def bad_value(request: Request, exc: StoreError):
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return JSONResponse({"error": _validation_message(exc)}, status_code=422)


def create_app(db_url: Optional[str], allow_ingest: bool = False, tiles: Optional[str] = None,
               max_body: int = MAX_BODY) -> FastAPI:
    """The API and page over the store at `db_url` (None: $EVENTWIRE_DB or ./eventwire.db)."""
    from eventwire.store import Store

    store = Store(db_url)
    extract_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        store.close()

    app = FastAPI(
        title="eventwire",
        version="1",
        summary="PLOVER-coded events from news reports about armed conflict, with their evidence.",
        description=(
            "Events, incidents, entities and articles from an eventwire store, and extraction of new "
            "articles. Errors are JSON `{\"error\": \"...\"}`. Read-only unless started with `--allow-ingest`."
        ),
        lifespan=lifespan,
        default_response_class=Json,
        docs_url=None,    # FastAPI's Swagger and ReDoc pages load their scripts from a CDN;
        redoc_url=None,   # /docs is our own offline page over /openapi.json instead
    )
    app.state.store = store
    app.add_middleware(BodyLimit, limit=max_body)
    _install_errors(app)

    def run_extract(article: m.ArticleIn) -> Report:
        from eventwire.pipeline import ExtractError, extract

        try:
            with extract_lock:
                return extract(article.text, published=article.published, title=article.title,
                               source=article.source, url=article.url)
        except ExtractError as exc:
            raise error(400, str(exc)) from None

    # -- extraction ------------------------------------------------------------------------------

    @app.post("/extract", tags=["extract"], summary="Extract the report of one article (not stored)",
              response_model=Report, response_model_by_alias=True, response_class=JSONResponse,
              responses={**ERRORS, 413: {"model": m.ErrorBody}})
    def extract_article(article: m.ArticleIn) -> Report:
        return run_extract(article)

    def ingest_allowed() -> None:
        if not allow_ingest:
            raise error(403, "ingest: this server is read-only (start it with --allow-ingest)")

    @app.post("/ingest", tags=["extract"], summary="Extract and store articles (needs --allow-ingest)",
              response_model=m.IngestOut, dependencies=[Depends(ingest_allowed)],
              responses={**ERRORS, 403: {"model": m.ErrorBody}, 413: {"model": m.ErrorBody}})
    def ingest(body: m.IngestIn):
        items, added = [], False
        for article in body.articles:
            report = run_extract(article)
            result = store.add(report, article.text)
            added = added or result.added
            items.append({"article_id": result.article_id, "added": result.added, "events": len(report.events)})
        incidents = store.rebuild_incidents() if added else None
        return {"items": items, "incidents": incidents}

    # -- queries ---------------------------------------------------------------------------------

    def event_page(filters: dict, page: dict) -> tuple[list[dict], int]:
        """One page of events and the number of all matches."""
        if "near" in filters:
            # the store filters by distance in Python after a bounding-box query: one pass, not two
            rows = store.events(**filters)
            return rows[page["offset"]:page["offset"] + page["limit"]], len(rows)
        return store.events(**filters, **page), store.count_events(**filters)

    @app.get("/events", tags=["events"], summary="Stored events, filtered and paged",
             response_model=m.EventPage, responses=ERRORS)
    def events(filters: dict = Depends(event_filters), page: dict = Depends(paging)):
        items, total = event_page(filters, page)
        return Json({"total": total, **page, "items": items})

    @app.get("/events.geojson", tags=["events"], summary="Stored events as a GeoJSON FeatureCollection",
             description="Same filters and paging as /events; events without coordinates are left out of "
                         "`features` but counted in `total`.",
             response_model=m.FeatureCollection, responses=ERRORS)
    def events_geojson(filters: dict = Depends(event_filters), page: dict = Depends(paging)):
        features = []
        rows, total = event_page(filters, page)
        for row in rows:
            lat, lon = row.get("lat"), row.get("lon")
            if lat is None or lon is None:
                continue
            props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
            features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                             "properties": props})
        return Json({"type": "FeatureCollection", "features": features, "total": total, **page},
                    media_type="application/geo+json")

    @app.get("/incidents", tags=["events"], summary="Incidents: one event as several articles report it",
             response_model=m.IncidentPage, responses=ERRORS)
    def incidents(filters: dict = Depends(event_filters), page: dict = Depends(paging)):
        rows = store.incidents(**filters)
        start = page["offset"]
        return Json({"total": len(rows), **page, "items": rows[start:start + page["limit"]]})

    @app.get("/entities", tags=["articles"], summary="People, organisations and groups found, paged",
             response_model=m.EntityPage, responses=ERRORS)
    def entities(page: dict = Depends(paging)):
        items = store.entities(**page)
        return Json({"total": store.stats().get("entities", len(items)), **page, "items": items})

    @app.get("/articles/{article_id}", tags=["articles"],
             summary="An article's text with the offsets of its entities, places, quotes and events",
             response_model=m.ArticleOut, responses={400: {"model": m.ErrorBody}, 404: {"model": m.ErrorBody}})
    def article(article_id: str):
        if not re.fullmatch(r"[0-9a-fA-F]{1,64}", article_id):
            raise error(400, f"article id: {article_id!r} is not a hex content hash")
        stored = store.article(article_id.lower())
        if stored is None:
            raise error(404, f"article {article_id}: not found")
        return Json(article_view(stored))

    @app.get("/stats", tags=["events"], summary="How many articles, events, incidents and entities are stored",
             response_model=m.Stats)
    def stats():
        return Json(store.stats())

    @app.get("/config", tags=["page"], summary="Settings the page reads (tile URL, ingest allowed)",
             response_model=m.PageConfig)
    def config():
        return Json({"tiles": tiles, "allow_ingest": allow_ingest, "max_body": max_body})

    # -- the page --------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


SETTINGS_ENV = "EVENTWIRE_SERVE_SETTINGS"


def app_from_env() -> FastAPI:
    """The app for uvicorn worker processes (`serve --workers N`): settings come as JSON in
    $EVENTWIRE_SERVE_SETTINGS, written by the serve command for its workers."""
    settings = json.loads(os.environ[SETTINGS_ENV])
    return create_app(settings["db"], allow_ingest=settings["allow_ingest"], tiles=settings["tiles"],
                      max_body=settings["max_body"])
