"""PTB's request interface over aiohttp.

PTB's default backend (httpx) spent about half of the bot's CPU per API call under load
(bench/README.md has the profile); aiohttp, with its C HTTP parser, does the same work
for a fraction. Errors are mapped the way `HTTPXRequest` maps them, so the rest of the
bot (and the outbox's "did the request leave?" rule) reads them the same way:

- no free connection within `pool_timeout` → `TimedOut("Pool timeout: …")`, not sent;
- the connection could not be opened → `NetworkError` caused by `ConnectionNotOpened`;
- a timeout after that → `TimedOut`; any other transport error → `NetworkError`.

It is also where Telegram's flood limits are kept, since every call passes here (see
docs/ARCHITECTURE.md, "Flood control"): a message-sending call waits for its turn in the
process's one `SendLimits`, and a 429 pauses the chat it was for. How a call waits is
the caller's `CallPolicy` (a context variable): a direct reply waits out a 429 and is
sent again; one that would wait longer than `hand_off_after` raises `LongWait` before
it leaves (bot/replies.py then gives it to the outbox); the outbox books its own slots
and reads its 429s itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.keyed_locks import KeyedLocks
from scheduler.ratelimit import SendLimits
from services import metrics

log = logging.getLogger(__name__)

POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: All connections in the connection pool are occupied. "
    "Request was *not* sent to Telegram."
)


# Methods that spend a chat's message budget (Telegram counts what appears as a new
# message; sendChatAction does not). Edits spend none but still wait out a 429 pause.
_EXEMPT_SENDS = frozenset({"sendChatAction", "sendInvoice"})
_COPIES = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})
# A scope that keeps answering 429 after this many waits: the answer goes to the caller.
MAX_FLOOD_RETRIES = 5


class ConnectionNotOpened(Exception):
    """The connection to the Bot API could not be opened: nothing was sent."""


class LongWait(TelegramError):
    """A message would wait longer than its caller allows for its turn; it was not sent."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Flood control: the message would wait {seconds:.1f} s")
        self.seconds = seconds


@dataclass(frozen=True, slots=True)
class CallPolicy:
    """How a Bot API call waits for its turn under the flood limits."""

    # The caller has booked the slot itself (the outbox): only wait out a 429 pause.
    booked: bool = False
    # Wait out a 429 and send again (a direct reply); otherwise return the 429.
    retry_429: bool = True
    # Raise LongWait instead of waiting longer than this (None: wait as long as it takes).
    hand_off_after: float | None = None


DIRECT = CallPolicy()
call_policy: ContextVar[CallPolicy] = ContextVar("call_policy", default=DIRECT)


@contextlib.contextmanager
def calls_with(policy: CallPolicy) -> Iterator[None]:
    """Bot API calls made inside the block follow `policy`."""
    token = call_policy.set(policy)
    try:
        yield
    finally:
        call_policy.reset(token)


def counts_as_message(method: str) -> bool:
    """Does a call of `method` spend a chat's message budget?"""
    return (method.startswith("send") and method not in _EXEMPT_SENDS) or method in _COPIES


def _retry_after(body: bytes) -> float:
    try:
        parameters = json.loads(body).get("parameters") or {}
        return float(parameters.get("retry_after", 1))
    except (ValueError, AttributeError):
        return 1.0


class AiohttpRequest(BaseRequest):
    """At most `pool_size` requests in flight, each with PTB's four timeouts; messages
    under the flood `limits` when given."""

    def __init__(
        self,
        *,
        pool_size: int = 16,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        limits: SendLimits | None = None,
    ) -> None:
        self.limits = limits
        self._chats = KeyedLocks()  # one chat's messages leave one after another
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._media_write_timeout = media_write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._slots = asyncio.Semaphore(pool_size)
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )
            # HTTPS_PROXY / NO_PROXY are honoured, as PTB's httpx backend does; read once
            # (aiohttp's trust_env reads the environment on every request: twice the CPU).
            self._proxies = urllib.request.getproxies_environment()

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        has_files = bool(request_data and request_data.contains_files)
        timeouts = self._timeout(read_timeout, write_timeout, connect_timeout, has_files)
        pool = _given(pool_timeout, self._pool_timeout)
        api_method = url.rsplit("/", 1)[-1]
        chat_id = request_data.parameters.get("chat_id") if request_data else None
        if self.limits is None or not isinstance(chat_id, int) or not _paced(api_method):
            return await self._in_slot(url, method, request_data, timeouts, pool)
        return await self._under_limits(
            api_method, chat_id, (url, method, request_data, timeouts, pool)
        )

    async def _under_limits(
        self, api_method: str, chat_id: int, request: tuple[Any, ...]
    ) -> tuple[int, bytes]:
        """Wait for the chat's turn, send; on 429 pause the chat and (a reply) go again."""
        assert self.limits is not None
        policy = call_policy.get()
        if not counts_as_message(api_method):
            return await self._send_when_allowed(api_method, chat_id, request, policy, False)
        books = not policy.booked
        if books:
            self._hand_off_if_long(chat_id, policy)
        async with self._chats.turn(chat_id):
            return await self._send_when_allowed(api_method, chat_id, request, policy, books)

    def _hand_off_if_long(self, chat_id: int, policy: CallPolicy) -> None:
        assert self.limits is not None
        wait = self.limits.reply_wait(chat_id)
        if policy.hand_off_after is not None and wait > policy.hand_off_after:
            raise LongWait(wait)

    async def _send_when_allowed(
        self,
        api_method: str,
        chat_id: int,
        request: tuple[Any, ...],
        policy: CallPolicy,
        books: bool,
    ) -> tuple[int, bytes]:
        assert self.limits is not None
        for _ in range(MAX_FLOOD_RETRIES):
            await self._wait_turn(chat_id, policy, books=books)
            status, body = await self._in_slot(*request)
            if status != 429:
                return status, body
            seconds = _retry_after(body)
            metrics.FLOOD_WAITS.labels(api_method).inc()
            self.limits.pause_chat(chat_id, seconds)
            log.info("429 for chat %s (%s): waiting %.0f s", chat_id, api_method, seconds)
            if not policy.retry_429:
                break
        return status, body

    async def _wait_turn(self, chat_id: int, policy: CallPolicy, *, books: bool) -> None:
        assert self.limits is not None
        if books:
            self._hand_off_if_long(chat_id, policy)
            await self._wait_until(lambda: self.limits.ready_wait(chat_id))
            await asyncio.sleep(self.limits.book(chat_id))
        # A 429 may have paused the chat while this call waited: it never goes early.
        await self._wait_until(lambda: self.limits.chat_pause_wait(chat_id))

    @staticmethod
    async def _wait_until(seconds_left: Callable[[], float]) -> None:
        """Sleep until `seconds_left()` says 0 (it may grow meanwhile: a new 429)."""
        wait = seconds_left()
        while wait > 0:
            await asyncio.sleep(wait)
            wait = seconds_left()

    async def _in_slot(
        self,
        url: str,
        method: str,
        request_data: RequestData | None,
        timeouts: aiohttp.ClientTimeout,
        pool_timeout: float | None,
    ) -> tuple[int, bytes]:
        await self._acquire_slot(pool_timeout)
        try:
            return await self._send(url, method, request_data, timeouts)
        finally:
            self._slots.release()

    async def _acquire_slot(self, pool_timeout: float | None) -> None:
        try:
            async with asyncio.timeout(pool_timeout):
                await self._slots.acquire()
        except TimeoutError as error:
            raise TimedOut(POOL_TIMEOUT_MESSAGE) from error

    async def _send(
        self,
        url: str,
        method: str,
        request_data: RequestData | None,
        limits: aiohttp.ClientTimeout,
    ) -> tuple[int, bytes]:
        assert self._session is not None
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=limits, proxy=self._proxy_for(url)
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from (
                ConnectionNotOpened(str(error))
            )
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _proxy_for(self, url: str) -> str | None:
        if not self._proxies:
            return None
        parts = urllib.parse.urlsplit(url)
        if urllib.request.proxy_bypass_environment(parts.hostname or "", self._proxies):
            return None
        return self._proxies.get(parts.scheme)

    def _timeout(
        self,
        read_timeout: ODVInput[float],
        write_timeout: ODVInput[float],
        connect_timeout: ODVInput[float],
        has_files: bool,
    ) -> aiohttp.ClientTimeout:
        # aiohttp has no separate write timeout: the request's socket reads (which begin
        # once the body is written) get the read timeout plus the write allowance.
        default_write = self._media_write_timeout if has_files else self._write_timeout
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout, default_write)
        sock_read = None if read is None else read + (write or 0.0)
        return aiohttp.ClientTimeout(
            total=None,
            sock_connect=_given(connect_timeout, self._connect_timeout),
            sock_read=sock_read,
        )


def _paced(method: str) -> bool:
    """Calls that wait for a chat's turn: messages, and edits (they wait out 429s)."""
    return counts_as_message(method) or method.startswith("edit")


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> Any:
    """Form fields as PTB's httpx backend sends them; multipart when there are files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not request_data.contains_files:
        return fields
    # Unquoted UTF-8 file names, as browsers and httpx send them («протокол.pdf»).
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content, mimetype = part  # type: ignore[misc]
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
