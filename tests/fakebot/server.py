"""``FakeBotApi``: a fake Telegram Bot API HTTP server for tests."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from . import methods_bot, methods_chats, methods_messages  # noqa: F401  (register handlers)
from .actions import UserActions
from .errors import ApiError, bad_request, too_many_requests
from .faults import BAD_GATEWAY_HTML, Fault, FaultInjector
from .limits import FloodControl
from .methods_messages import send_other
from .registry import HANDLERS, Context, Params
from .spec import Spec, UploadedFile, guess_decode
from .updates import UpdateQueue
from .visible_markup import VisibleMarkupCheck
from .world import DEFAULT_BOT_RIGHTS, Chat, User, World

_FLOOD_EXEMPT = frozenset({"sendChatAction", "sendInvoice"})
_DUMP_CALLS = 25
_RESULT_CHECKS_PER_METHOD = 200


@dataclass
class Call:
    """One request the bot made, as the fake server understood and answered it."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    response: dict[str, Any]
    time: float
    http_status: int = 200

    @property
    def ok(self) -> bool:
        """Did Telegram say ``"ok": true``?"""
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        """The ``result`` of a successful call."""
        return self.response.get("result")

    def __str__(self) -> str:
        shown = {k: _short(v) for k, v in self.params.items()}
        outcome = (
            "ok"
            if self.ok
            else f"{self.response.get('error_code')} {self.response.get('description')}"
        )
        return f"{self.method}({', '.join(f'{k}={v}' for k, v in shown.items())}) -> {outcome}"


@dataclass
class Violation:
    """A call that breaks the Bot API spec (answered 400; fixtures should fail the test)."""

    method: str
    problems: list[str]
    params: dict[str, Any] = field(repr=False)

    def __str__(self) -> str:
        return f"{self.method}: {'; '.join(self.problems)}"


class _DropConnection(Exception):
    """Close the socket instead of answering."""


class FakeBotApi(UserActions):
    """A fake Telegram Bot API server (aiohttp) with a scriptable world.

    Point PTB at it with ``base_url=api.base_url, base_file_url=api.base_file_url``. Every call
    is checked against the Bot API spec, answered like Telegram and recorded in ``calls``.
    """

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_id: int = 123456,
        bot_username: str = "vmo_test_bot",
        latency: float = 0.0,
        spec_path: str | Path | None = None,
        enforce_limits: bool = True,
    ) -> None:
        self.token = token
        self.latency = latency
        self.enforce_limits = enforce_limits
        self.spec = Spec.load(Path(spec_path) if spec_path else None)
        bot = User(bot_id, "VMO Test Bot", username=bot_username, language_code=None, is_bot=True)
        self.world = World(bot)
        self.updates = UpdateQueue()
        self.ctx = Context(self.world, self.updates)
        self.flood = FloodControl()
        self._answers_seen: dict[int, int] = {}
        self.faults = FaultInjector()
        self.calls: list[Call] = []
        self.violations: list[Violation] = []
        self.result_problems: list[str] = []  # our own answers that break the spec
        self.check_results = True
        self.visible_markup = VisibleMarkupCheck(bot_id)  # tags/entities shown as text
        self.stats: Counter[str] = Counter()
        self._calls_by_method: dict[str, list[Call]] = defaultdict(list)
        self._results_checked: Counter[str] = Counter()
        self._cursors: dict[int, int] = {}
        self._activity: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # --- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and start serving."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._activity = asyncio.Event()

    async def stop(self) -> None:
        """Stop serving (wakes long polls and webhook pushes first)."""
        await self.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """PTB ``base_url``: ``http://127.0.0.1:PORT/bot``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB ``base_file_url``: ``http://127.0.0.1:PORT/file/bot``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- world setup -----------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str = "Анна",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        started: bool = True,
    ) -> User:
        """A user; ``started=False`` means they never opened the bot (sends get 403)."""
        user = User(user_id, first_name, last_name, username, language_code, started)
        return self.world.add_user(user)

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends to them get 403 ``bot was blocked by the user``."""
        self.world.user(user_id).blocked = True

    def add_chat(
        self,
        chat_id: int,
        title: str,
        type: str = "supergroup",
        is_forum: bool = False,
        bot_is_admin: bool = True,
        bot_rights: dict[str, bool] | None = None,
        username: str | None = None,
        members: dict[int, str] | None = None,
    ) -> Chat:
        """A group/supergroup the bot is in; ``members`` maps user id to status."""
        rights = {**DEFAULT_BOT_RIGHTS, **(bot_rights or {})}
        chat = Chat(
            id=chat_id,
            type=type,
            title=title,
            is_forum=is_forum,
            username=username,
            bot_status="administrator" if bot_is_admin else "member",
            bot_rights=rights,
            members=dict(members or {}),
        )
        return self.world.add_chat(chat)

    def migrate_group(self, old_id: int, new_id: int) -> Chat:
        """Upgrade a group to a supergroup: calls to ``old_id`` get 400 + migrate_to_chat_id."""
        old = self.world.chats.pop(old_id)
        old.id, old.type = new_id, "supergroup"
        self.world.chats[new_id] = old
        self.world.migrated[old_id] = new_id
        return old

    # --- fault injection -------------------------------------------------------------
    def inject_error(
        self,
        method: str | None = None,
        chat_id: int | str | None = None,
        code: int = 429,
        retry_after: int = 1,
        count: int = 1,
        description: str | None = None,
        drop_connection: bool = False,
        after_effect: bool = False,
    ) -> Fault:
        """Make the next ``count`` matching calls fail.

        ``code=429`` answers with ``retry_after``; ``code=502`` without ``description`` answers
        nginx's HTML page; ``drop_connection=True`` closes the socket without an answer;
        ``after_effect=True`` lets the call take effect first (the answer is what gets lost).
        """
        return self.faults.add(
            Fault(
                method,
                chat_id,
                code,
                retry_after,
                count,
                description,
                drop_connection,
                after_effect,
            )
        )

    def push_update(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Queue an update, remembering what the person typed (see ``visible_markup``)."""
        self.visible_markup.saw_update(raw)
        return super().push_update(raw)

    # --- inspection ------------------------------------------------------------------
    def calls_of(self, method: str) -> list[Call]:
        """Calls of ``method`` in order."""
        return list(self._calls_by_method.get(method, ()))

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Bot messages currently in ``chat_id`` (deleted ones gone, edits applied)."""
        return self.world.bot_messages(chat_id)

    def last_message(self, chat_id: int) -> dict[str, Any] | None:
        """The newest bot message still in ``chat_id``."""
        chat = self.world.chats.get(chat_id)
        if chat is None:
            return None
        for message_id in reversed(chat.bot_log):
            if message_id in chat.messages:
                return chat.messages[message_id]
        return None

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The last non-inline ``reply_markup`` the bot sent to ``chat_id``."""
        for call in reversed(self.calls):
            markup = call.params.get("reply_markup")
            if (
                call.ok
                and call.params.get("chat_id") == chat_id
                and isinstance(markup, dict)
                and "inline_keyboard" not in markup
            ):
                return markup
        return None

    @property
    def answered_updates(self) -> list[dict[str, Any]]:
        """Updates getUpdates (or the webhook) has delivered at least once."""
        return list(self.updates.answered)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet."""
        return self.updates.pending

    @property
    def callback_answers(self) -> dict[str, Params]:
        """``answerCallbackQuery`` params by callback query id."""
        return self.ctx.callback_answers

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Commands set for ``scope`` (default scope when None) and ``language_code``."""
        key = json.dumps(scope or {"type": "default"}, sort_keys=True), language_code
        return self.ctx.commands.get(key, [])

    # --- waiting ---------------------------------------------------------------------
    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = 5.0,  # noqa: ASYNC109  (public API: a plain deadline in seconds)
    ) -> Any:
        """Wait until ``predicate()`` is truthy and return its value; AssertionError on timeout
        with a dump of recent calls."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"condition not met within {timeout}s\n{self.dump()}")
            event = self._activity or asyncio.Event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 0.02))

    async def wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109  (public API: mirrors wait_for)
        *,
        edits: bool | None = None,
    ) -> dict[str, Any]:
        """Wait for the bot's next message in ``chat_id`` whose text/caption has ``contains``.

        Only activity after the previous ``wait_for_message`` for that chat (or :meth:`mark`)
        counts, and everything up to the match is consumed. ``edits`` (default: only when
        ``contains`` is given) also accepts a message the bot edited to contain the text.
        Returns the message as it is now.
        """
        with_edits = contains is not None if edits is None else edits
        try:
            return await self.wait_for(
                lambda: self._next_message(chat_id, contains, with_edits), timeout
            )
        except AssertionError as exc:
            raise AssertionError(
                f"no new message in chat {chat_id} containing {contains!r}; {exc}"
            ) from None

    def mark(self, chat_id: int | None = None) -> None:
        """Treat every bot message sent so far (in ``chat_id`` or everywhere) as seen."""
        chats = [chat_id] if chat_id is not None else list(self.world.chats)
        for cid in chats:
            chat = self.world.chats.get(cid)
            self._cursors[cid] = len(chat.activity) if chat else 0

    def _next_message(
        self, chat_id: int, contains: str | None, with_edits: bool
    ) -> dict[str, Any] | None:
        chat = self.world.chats.get(chat_id)
        if chat is None:
            return None
        log = chat.activity
        for index in range(self._cursors.get(chat_id, 0), len(log)):
            message_id, is_edit = log[index]
            message = chat.messages.get(message_id)
            if message is None or (is_edit and not with_edits):
                continue
            if contains is None or contains in (
                message.get("text") or message.get("caption") or ""
            ):
                self._cursors[chat_id] = index + 1
                return message
        return None

    def assert_clean(self) -> None:
        """Fail unless every call respected the spec and every answer we built did too."""
        problems = [f"spec violation: {v}" for v in self.violations]
        problems += [f"fake answered off-spec: {p}" for p in self.result_problems]
        problems += [f"markup shown as text: {p}" for p in self.visible_markup.problems]
        if problems:
            raise AssertionError("\n".join(problems) + "\n" + self.dump())

    def dump(self, last: int = _DUMP_CALLS) -> str:
        """Readable summary of recent calls, updates and violations."""
        lines = [f"last {min(last, len(self.calls))} of {len(self.calls)} calls:"]
        lines += [f"  {call}" for call in self.calls[-last:]]
        lines.append(f"pending updates: {[u['update_id'] for u in self.updates.pending]}")
        if self.updates.dropped:
            lines.append(f"dropped by allowed_updates: {self.updates.dropped}")
        if self.violations:
            lines.append("spec violations: " + "; ".join(map(str, self.violations)))
        return "\n".join(lines)

    # --- HTTP ------------------------------------------------------------------------
    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self.world.files.by_path(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.content, content_type="application/octet-stream")

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        if self.latency:
            await asyncio.sleep(self.latency)
        raw, files = await _read_request(request)
        call = Call(request.match_info["method"], raw, files, {}, time.monotonic())
        try:
            response = await self._answer(request.match_info["token"], call)
        except _DropConnection:
            self._record(
                call, {"ok": False, "error_code": 0, "description": "connection dropped"}, 0
            )
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if isinstance(response, str):
            self._record(call, {"ok": False, "error_code": 502, "description": "Bad Gateway"}, 502)
            return web.Response(text=response, status=502, content_type="text/html")
        status = 200 if response["ok"] else response["error_code"]
        self._record(call, response, status)
        return web.json_response(response, status=status, dumps=_dumps)

    async def _answer(self, token: str, call: Call) -> dict[str, Any] | str:
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            call.method = self._resolve_method(call.method)
            call.params = self._decode(call.method, call.params, call.files)
            fault = self.faults.take(call.method, call.params)
            if fault is not None and not fault.after_effect:
                return self._fault_answer(fault)
            self._check_flood(call.method, call.params)
            result = await self._run(call.method, call.params)
            if fault is not None:
                return self._fault_answer(fault)
            self._check_result(call.method, result)
            self.visible_markup.check_call(call.method, call.params, result)
            return {"ok": True, "result": result}
        except ApiError as error:
            return error.to_response()

    def _fault_answer(self, fault: Fault) -> dict[str, Any] | str:
        self.stats["injected_faults"] += 1
        if fault.drop_connection:
            raise _DropConnection
        return BAD_GATEWAY_HTML if fault.raw_html else fault.error().to_response()

    def _resolve_method(self, name: str) -> str:
        if self.spec is None:
            return name
        method = self.spec.canonical_method(name)
        if method is None:
            raise ApiError(404, "Not Found")
        return method

    def _decode(self, method: str, raw: dict[str, Any], files: dict[str, bytes]) -> Params:
        if self.spec is None:
            params = {k: guess_decode(k, v) for k, v in raw.items()}
        else:
            params = self.spec.decode(method, raw)
        attached = _attach_names(params)
        missing = attached - files.keys()
        if missing:
            raise bad_request(f'can\'t find attached file "{sorted(missing)[0]}"')
        params = {k: v for k, v in params.items() if k not in attached}
        if self.spec is not None:
            problems = self.spec.check_call(method, params)
            if problems:
                self.violations.append(Violation(method, problems, params))
                self.stats["violations"] += 1
                raise bad_request("; ".join(problems))
        return params

    def _check_flood(self, method: str, params: Params) -> None:
        if not self.enforce_limits or not _counts_for_flood(method):
            return
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            return
        retry_after = self.flood.check(chat_id, is_private=chat_id > 0)
        if retry_after is not None:
            self.stats["flood_limited"] += 1
            raise too_many_requests(retry_after)

    async def _run(self, method: str, params: Params) -> Any:
        handler = HANDLERS.get(method)
        if handler is None:
            handler = send_other if _counts_for_flood(method) else _accept
        result = handler(self.ctx, params)
        if inspect.isawaitable(result):
            result = await result
        return result

    def _check_result(self, method: str, result: Any) -> None:
        if self.spec is None or not self.check_results or method not in HANDLERS:
            return
        self._results_checked[method] += 1
        if self._results_checked[method] > _RESULT_CHECKS_PER_METHOD:
            return  # answers are built by the same code each time: a sample is enough
        returns = self.spec.returns.get(method)
        if returns:
            error = self.spec.type_error(result, returns, f"{method} result")
            if error:
                self.result_problems.append(error)

    def _record(self, call: Call, response: dict[str, Any], status: int) -> None:
        call.response = response
        call.http_status = status
        self.calls.append(call)
        self._calls_by_method[call.method].append(call)
        self.stats["calls"] += 1
        if not response.get("ok"):
            self.stats["errors"] += 1
        if status == 429:
            self.stats["too_many_requests"] += 1
        if self._activity is not None:
            self._activity.set()
            self._activity = asyncio.Event()


def _accept(ctx: Context, params: Params) -> bool:
    return True


def _counts_for_flood(method: str) -> bool:
    return (method.startswith("send") and method not in _FLOOD_EXEMPT) or method in (
        "copyMessage",
        "forwardMessage",
        "copyMessages",
        "forwardMessages",
    )


async def _read_request(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if not request.can_read_body:
        return raw, files
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            raw.update(body)
        return raw, files
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            content = value.file.read()
            files[name] = content
            raw[name] = UploadedFile(value.filename, content, value.content_type)
        else:
            raw[name] = value
    return raw, files


def _attach_names(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value[len("attach://") :]} if value.startswith("attach://") else set()
    if isinstance(value, dict):
        return set().union(*(_attach_names(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_attach_names(v) for v in value)) if value else set()
    return set()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
