"""The public verification page: a document's printed code checked in a browser.

For those without Telegram (an attestation commission, an employer): when `WEB_PORT` is set
the bot's own process serves, next to everything else, a tiny aiohttp site:

- `GET /verify/{code}` — the answer for a code (where the QR code of a document points when
  `WEB_BASE_URL` is set too);
- `GET /verify` — a plain form to type a code (no JavaScript: it submits `?code=…`);
- `GET /healthz` — «ok», for the proxy or the orchestrator.

Anything else is a plain 404 page. The answer is the one `/verify` gives in the bot, read
from the same lookups (`services.verification.verify`): valid, or revoked with the date and
the reason; unknown and malformed codes get the same «not found» page with status 404, so a
forged code tells nothing. Only what is printed on the document is shown. Lookups are
limited per client address (a token bucket, `GuessLimiter`); past the limit the answer is
429 with `Retry-After`. Pages are Jinja2 templates in `bot/templates/web/` (autoescaped),
in Russian, with one inline stylesheet and no external resources.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from services import clock
from services.formatting import format_date
from services.verification import Verification, normalize_code, printed_code, verify

log = logging.getLogger(__name__)

WebLookup = Callable[[str], Awaitable[Verification | None]]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "web"
# Longer input is no code whatever it holds; it is not even normalised.
MAX_CODE_INPUT = 64
# How much of what was typed the «not found» page shows back (escaped).
ECHO_LIMIT = 32
# Lookups allowed to one address: a burst of this many, then this many per window.
LOOKUPS_PER_WINDOW = 20
WINDOW_SECONDS = 600.0
# Addresses remembered at once; the least recently seen are forgotten first.
MAX_CLIENTS = 10_000
# Lookups reading the database at once (the pool's overflow has room for them).
LOOKUP_CONNECTIONS = 2

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    # The pages carry people's names: not for search engines.
    "X-Robots-Tag": "noindex, nofollow",
}


class GuessLimiter:
    """A token bucket per client: `capacity` lookups at once, refilled evenly over `window`.

    At most `max_clients` buckets are kept (least recently used forgotten first), so a flood
    of addresses cannot grow the memory; a forgotten address starts again with a full
    bucket, which is what it would have after a quiet `window` anyway.
    """

    def __init__(
        self,
        *,
        capacity: int = LOOKUPS_PER_WINDOW,
        window: float = WINDOW_SECONDS,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity < 1 or window <= 0 or max_clients < 1:
            raise ValueError("a limiter needs a capacity, a window and room for one client")
        self.capacity = capacity
        self.rate = capacity / window  # lookups regained per second
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str) -> float:
        """Spend one lookup of `client`: 0 if allowed, else the seconds until one is."""
        now = self._clock()
        tokens, seen = self._buckets.pop(client, (float(self.capacity), now))
        tokens = min(float(self.capacity), tokens + max(0.0, now - seen) * self.rate)
        if tokens >= 1:
            tokens -= 1
            wait = 0.0
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[client] = (tokens, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait

    def __len__(self) -> int:
        return len(self._buckets)


def client_key(request: web.Request, *, trust_forwarded: bool) -> str:
    """Whose guesses these are: the peer's address, or the one our proxy saw.

    With `trust_forwarded` the last `X-Forwarded-For` entry is taken: the one the proxy in
    front of the bot appended (earlier entries come from the client and can be anything).
    IPv6 addresses count by their /64 network, which one subscriber usually holds whole.
    """
    address = request.remote or ""
    if trust_forwarded:
        hops = [
            hop.strip()
            for value in request.headers.getall("X-Forwarded-For", [])
            for hop in value.split(",")
            if hop.strip()
        ]
        if hops:
            address = hops[-1]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ru_date"] = ru_date
    env.filters["ru_plural"] = ru_plural
    return env


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form for a count: 1 минуту, 3 минуты, 5 минут (11–14 take «many»)."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def home_link(raw_path: str) -> str:
    """The form's address relative to `raw_path`, so the site works under a proxy's prefix."""
    return "../" * max(0, raw_path.count("/") - 1) + "verify"


def ru_date(day: date) -> str:
    """«31 мая 2027 г.», never broken across lines (no-break spaces)."""
    return format_date(day, "ru").replace(" ", "\u00a0")


def _period(start: date | None, end: date | None) -> str | None:
    if start and end:
        return f"с {ru_date(start)} по {ru_date(end)}"
    if start:
        return f"с {ru_date(start)}"
    if end:
        return f"по {ru_date(end)}"
    return None


class VerificationSite:
    """The routes' behaviour; `make_web_app` wires it into an aiohttp application."""

    def __init__(
        self,
        lookup: WebLookup,
        *,
        limiter: GuessLimiter,
        trust_forwarded: bool,
        timezone: ZoneInfo,
    ) -> None:
        self.lookup = lookup
        self.limiter = limiter
        self.trust_forwarded = trust_forwarded
        self.timezone = timezone
        self.templates = _environment()

    def page(
        self, name: str, request: web.Request, *, status: int = 200, **params: Any
    ) -> web.Response:
        home = home_link(request.rel_url.raw_path)
        html = self.templates.get_template(name).render(home=home, **params)
        return web.Response(status=status, text=html, content_type="text/html", charset="utf-8")

    def _today(self) -> date:
        return clock.now().astimezone(self.timezone).date()

    async def healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n", content_type="text/plain", charset="utf-8")

    async def form(self, request: web.Request) -> web.Response:
        if "code" not in request.query:
            return self.page("form.html", request, typed="", empty=False)
        typed = request.query.get("code", "")
        if not typed.strip():
            return self.page("form.html", request, typed="", empty=True)
        return await self.answer(request, typed)

    async def by_path(self, request: web.Request) -> web.Response:
        return await self.answer(request, request.match_info["code"])

    async def answer(self, request: web.Request, typed: str) -> web.Response:
        wait = self.limiter.take(client_key(request, trust_forwarded=self.trust_forwarded))
        if wait > 0:
            minutes = max(1, math.ceil(wait / 60))
            response = self.page("rate_limited.html", request, status=429, minutes=minutes)
            response.headers["Retry-After"] = str(math.ceil(wait))
            return response
        code = normalize_code(typed) if len(typed) <= MAX_CODE_INPUT else None
        found = await self.lookup(code) if code is not None else None
        if found is None:
            return self.page("not_found.html", request, status=404, typed=typed[:ECHO_LIMIT])
        return self.page(
            "valid.html" if found.valid else "revoked.html",
            request,
            document=found,
            printed=printed_code(found.code),
            period=_period(found.period_start, found.period_end),
            checked_on=self._today(),
        )

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        try:
            response = await handler(request)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
            response = self.page("page_not_found.html", request, status=404)
        except web.HTTPException as error:
            error.headers.update(SECURITY_HEADERS)
            raise
        except Exception:
            log.exception("the verification page failed on %s", request.path)
            response = self.page("unavailable.html", request, status=503)
        response.headers.update(SECURITY_HEADERS)
        return response


def make_web_app(
    lookup: WebLookup,
    *,
    limiter: GuessLimiter | None = None,
    trust_forwarded: bool = False,
    timezone: ZoneInfo | str = "Europe/Moscow",
) -> web.Application:
    """The verification site over `lookup` (a normalised code → the document, or None)."""
    site = VerificationSite(
        lookup,
        limiter=limiter if limiter is not None else GuessLimiter(),
        trust_forwarded=trust_forwarded,
        timezone=timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone),
    )
    app = web.Application(middlewares=[site.guard], client_max_size=4096)
    app.router.add_get("/verify", site.form)
    app.router.add_get("/verify/{code}", site.by_path)
    app.router.add_get("/healthz", site.healthz)
    return app


def database_lookup(
    sessions: async_sessionmaker[AsyncSession], *, connections: int = LOOKUP_CONNECTIONS
) -> WebLookup:
    """The production lookup: every feature's registered verifier, in a session of its own.

    At most `connections` lookups hold a database connection at once: the pool is sized for
    the bot's handlers (models/db.py), and visitors of the page must not take it from them.
    """
    gate = asyncio.Semaphore(connections)

    async def lookup(code: str) -> Verification | None:
        async with gate, sessions() as session:
            return await verify(session, code)

    return lookup


class WebServer:
    """The verification site served inside the bot's process (started by bot/app.py)."""

    def __init__(self, app: web.Application, *, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, sessions: async_sessionmaker[AsyncSession]
    ) -> WebServer:
        if settings.web_port is None:
            raise ValueError("the verification page needs WEB_PORT")
        app = make_web_app(
            database_lookup(sessions),
            limiter=GuessLimiter(capacity=settings.web_lookups_per_10_minutes),
            trust_forwarded=settings.web_trust_forwarded,
            timezone=settings.default_timezone,
        )
        return cls(app, host=settings.web_listen, port=settings.web_port)

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        for address in self._runner.addresses:
            if isinstance(address, tuple):
                self.port = address[1]  # the one chosen when asked for port 0
                break
        log.info("verification page listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


__all__ = [
    "SECURITY_HEADERS",
    "GuessLimiter",
    "WebLookup",
    "WebServer",
    "client_key",
    "database_lookup",
    "make_web_app",
]
