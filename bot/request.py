"""PTB's request interface over aiohttp.

PTB's default backend (httpx) spent about half of the bot's CPU per API call under load
(bench/README.md has the profile); aiohttp, with its C HTTP parser, does the same work
for a fraction. Errors are mapped the way `HTTPXRequest` maps them, so the rest of the
bot (and the outbox's "did the request leave?" rule) reads them the same way:

- no free connection within `pool_timeout` → `TimedOut("Pool timeout: …")`, not sent;
- the connection could not be opened → `NetworkError` caused by `ConnectionNotOpened`;
- a timeout after that → `TimedOut`; any other transport error → `NetworkError`.
"""

from __future__ import annotations

import asyncio
import urllib.parse
import urllib.request
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: All connections in the connection pool are occupied. "
    "Request was *not* sent to Telegram."
)


class ConnectionNotOpened(Exception):
    """The connection to the Bot API could not be opened: nothing was sent."""


class AiohttpRequest(BaseRequest):
    """At most `pool_size` requests in flight, each with PTB's four timeouts."""

    def __init__(
        self,
        *,
        pool_size: int = 16,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
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
        limits = self._timeout(read_timeout, write_timeout, connect_timeout, has_files)
        await self._acquire_slot(_given(pool_timeout, self._pool_timeout))
        try:
            return await self._send(url, method, request_data, limits)
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
