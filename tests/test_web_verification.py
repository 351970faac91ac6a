"""The public verification page (bot/web.py): what a browser gets for valid, revoked, unknown
and forged codes, the guessing limit, the headers, and the page served by the bot's process."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ops import _web_findings
from bot.web import (
    SECURITY_HEADERS,
    GuessLimiter,
    database_lookup,
    home_link,
    make_web_app,
    ru_plural,
)
from models import User
from services import verification
from services.clock import set_clock
from services.verification import Verification
from tests.harness import BotHarness, make_settings

VALID = Verification(
    code="K7MXQRT4WC",
    number="ВМО-2026-0001",
    kind="participation",
    title="Сертификат участника",
    full_name="Иванова Мария Петровна",
    issuer="ШМО учителей математики «Логос»",
    issued_on=date(2026, 12, 1),
    period_start=date(2026, 9, 1),
    period_end=date(2027, 5, 31),
)
REVOKED = Verification(
    code="HDMXQ4WT7P",
    number="ВМО-2026-0002",
    kind="participation",
    title="Сертификат участника",
    full_name="Петров Пётр Ильич",
    issuer="ШМО учителей математики «Логос»",
    issued_on=date(2026, 11, 20),
    revoked_on=date(2026, 12, 3),
    revoked_reason="Выдан по ошибке <повторно>",
)
UNKNOWN = "AAAAA-CCCCC"
NOT_FOUND = "Документ с таким кодом не найден"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Registry:
    """An injected lookup that remembers what it was asked."""

    def __init__(self, *documents: Verification) -> None:
        self.documents = {document.code: document for document in documents}
        self.asked: list[str] = []

    async def __call__(self, code: str) -> Verification | None:
        self.asked.append(code)
        return self.documents.get(code)


@pytest.fixture
def registry() -> Registry:
    return Registry(VALID, REVOKED)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture
async def client(registry: Registry, clock: Clock) -> AsyncIterator[TestClient]:
    set_clock(lambda: datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    app = make_web_app(registry, limiter=GuessLimiter(capacity=20, window=600, clock=clock))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def _visible(html: str) -> str:
    """The page's text as read: tags dropped, whitespace folded (entities kept as they are)."""
    body = html.split("<body>", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


async def _get(client: TestClient, url: str, **kwargs: object) -> tuple[int, str]:
    response = await client.get(url, **kwargs)  # type: ignore[arg-type]
    return response.status, await response.text()


# --- the answers --------------------------------------------------------------------------


async def test_a_valid_document_shows_what_is_printed_on_it(client: TestClient) -> None:
    status, html = await _get(client, "/verify/K7MXQ-RT4WC")
    text = _visible(html)
    assert status == 200
    assert "Документ действителен" in text
    assert "Сертификат участника" in text
    assert "ВМО-2026-0001" in text
    assert "Иванова Мария Петровна" in text
    assert "ШМО учителей математики &laquo;Логос&raquo;" in text or "«Логос»" in text
    assert "с 1 сентября 2026 г. по 31 мая 2027 г." in text
    assert "1 декабря 2026 г." in text
    assert "K7MXQ-RT4WC" in text
    assert "Дата проверки: 7 декабря 2026 г." in text
    assert "отозван" not in text.lower().replace("не отозван", "")
    assert '<html lang="ru">' in html
    assert 'name="viewport"' in html


async def test_a_code_is_found_however_it_is_typed(client: TestClient, registry: Registry) -> None:
    for typed in ("k7mxqrt4wc", "K7MXQ RT4WC", "k7mxq-rt4wc"):
        status, html = await _get(client, "/verify", params={"code": typed})
        assert status == 200, typed
        assert "Документ действителен" in html
    assert registry.asked == ["K7MXQRT4WC"] * 3  # the lookup is given the normalised code


async def test_a_revoked_document_says_so_with_the_date_and_the_reason(
    client: TestClient,
) -> None:
    status, html = await _get(client, "/verify/HDMXQ-4WT7P")
    text = _visible(html)
    assert status == 200
    assert "Документ отозван" in text
    assert "Документ действителен" not in text
    assert "Дата отзыва 3 декабря 2026 г." in text
    assert "Причина Выдан по ошибке &lt;повторно&gt;" in text  # escaped, not markup
    assert "Петров Пётр Ильич" in text
    assert "ВМО-2026-0002" in text
    assert "Период" not in text  # no period was given


async def test_unknown_and_malformed_codes_get_the_same_plain_page(
    client: TestClient, registry: Registry
) -> None:
    unknown_status, unknown = await _get(client, f"/verify/{UNKNOWN}")
    malformed_status, malformed = await _get(client, "/verify/QQQQQ-00000")
    too_long_status, too_long = await _get(client, "/verify/" + "K" * 500)
    assert unknown_status == malformed_status == too_long_status == 404
    assert NOT_FOUND in unknown
    # The same page apart from the code echoed into the form.
    assert unknown.replace(UNKNOWN, "@") == malformed.replace("QQQQQ-00000", "@")
    assert malformed.replace("QQQQQ-00000", "@") == too_long.replace("K" * 32, "@")
    assert "K" * 33 not in too_long  # the echo is short
    assert registry.asked == ["AAAAACCCCC"]  # malformed codes are not looked up
    assert "Иванова" not in unknown + malformed


async def test_a_forged_code_is_echoed_escaped(client: TestClient) -> None:
    forged = '<script>alert("x")</script>'
    status, html = await _get(client, "/verify", params={"code": forged})
    assert status == 404
    assert NOT_FOUND in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    status, html = await _get(client, "/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert status == 404
    assert "<script" not in html
    assert "&lt;script&gt;" in html


async def test_no_page_carries_a_script_or_an_outside_resource(client: TestClient) -> None:
    for url in ("/verify", f"/verify/{UNKNOWN}", "/verify/K7MXQ-RT4WC", "/verify/HDMXQ-4WT7P"):
        _, html = await _get(client, url)
        assert "<script" not in html
        assert not re.search(r'(src|href)="(https?:)?//', html), url
        assert html.count("<style>") == 1


async def test_the_form_submits_to_the_page_itself(client: TestClient) -> None:
    status, html = await _get(client, "/verify")
    assert status == 200
    assert "Проверка документа по коду" in html
    assert '<form method="get" action="verify">' in html
    assert 'name="code"' in html
    status, html = await _get(client, "/verify", params={"code": "  "})
    assert status == 200
    assert "Введите код проверки." in html
    # From a document's page the form is one level up (relative, so a proxy prefix is kept).
    _, html = await _get(client, f"/verify/{UNKNOWN}")
    assert 'action="../verify"' in html


def test_links_to_the_form_are_relative_to_the_page() -> None:
    assert home_link("/verify") == "verify"
    assert home_link("/verify/K7MXQ-RT4WC") == "../verify"
    assert home_link("/verify/") == "../verify"
    assert home_link("/a/b/c") == "../../verify"


# --- headers, health, everything else -----------------------------------------------------


async def test_every_answer_carries_the_security_headers(registry: Registry, clock: Clock) -> None:
    app = make_web_app(registry, limiter=GuessLimiter(capacity=1, window=600, clock=clock))
    async with TestClient(TestServer(app)) as client:
        answers = [
            await client.get("/verify/K7MXQ-RT4WC"),
            await client.get(f"/verify/{UNKNOWN}"),  # 429: the one lookup is spent
            await client.get("/verify"),
            await client.get("/healthz"),
            await client.get("/admin"),
            await client.post("/verify", data={"code": "K7MXQ-RT4WC"}),
        ]
        assert [answer.status for answer in answers] == [200, 429, 200, 200, 404, 404]
        for answer in answers:
            assert answer.headers["Content-Security-Policy"].startswith(
                "default-src 'none'; style-src 'unsafe-inline'"
            )
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            assert answer.headers["Referrer-Policy"] == "no-referrer"
            assert answer.headers["X-Frame-Options"] == "DENY"
            assert answer.headers["Cache-Control"] == "no-store"
            assert answer.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert answers[0].headers["Content-Type"] == "text/html; charset=utf-8"
    assert set(SECURITY_HEADERS) >= {"Content-Security-Policy", "X-Frame-Options"}


async def test_healthz_answers_ok(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.text() == "ok\n"
    assert response.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "method, url",
    [
        ("GET", "/"),
        ("GET", "/verify/K7MXQ-RT4WC/pdf"),
        ("GET", "/static/style.css"),
        ("GET", "/healthz/x"),
        ("POST", "/verify/K7MXQ-RT4WC"),
        ("DELETE", "/verify"),
    ],
)
async def test_anything_else_is_a_plain_404_page(
    client: TestClient, registry: Registry, method: str, url: str
) -> None:
    response = await client.request(method, url)
    html = await response.text()
    assert response.status == 404
    assert "Страница не найдена" in html
    assert "Иванова" not in html
    assert registry.asked == []


async def test_a_failing_registry_gets_a_calm_page_not_a_trace() -> None:
    async def broken(code: str) -> Verification | None:
        raise ConnectionError("database is down")

    async with TestClient(TestServer(make_web_app(broken))) as client:
        response = await client.get("/verify/K7MXQ-RT4WC")
        html = await response.text()
    assert response.status == 503
    assert "Проверка временно недоступна" in html
    assert "database is down" not in html
    assert "Traceback" not in html


# --- guessing is limited ------------------------------------------------------------------


async def test_guessing_is_refused_past_the_limit_with_a_russian_page(
    client: TestClient, clock: Clock
) -> None:
    for _ in range(20):
        status, _ = await _get(client, f"/verify/{UNKNOWN}")
        assert status == 404
    response = await client.get("/verify/K7MXQ-RT4WC")  # even a real code waits now
    html = await response.text()
    assert response.status == 429
    assert response.headers["Retry-After"] == "30"  # one lookup comes back every 30 s
    assert "Слишком много проверок" in html
    assert "Попробуйте снова через 1 минуту." in _visible(html)
    assert "Иванова" not in html
    # The empty form and the health check are not lookups: they are never refused.
    assert (await client.get("/verify")).status == 200
    assert (await client.get("/healthz")).status == 200
    clock.now += 30
    assert (await client.get("/verify/K7MXQ-RT4WC")).status == 200
    assert (await client.get("/verify/K7MXQ-RT4WC")).status == 429


async def test_forwarded_addresses_count_only_when_trusted(
    registry: Registry, clock: Clock
) -> None:
    for trusted in (False, True):
        limiter = GuessLimiter(capacity=2, window=600, clock=clock)
        app = make_web_app(registry, limiter=limiter, trust_forwarded=trusted)
        async with TestClient(TestServer(app)) as client:
            statuses = []
            for number in range(4):
                # The client writes whatever it likes first; the proxy appends the real peer.
                headers = {"X-Forwarded-For": f"6.6.6.{number}, 203.0.113.{number % 2}"}
                answer = await client.get("/verify/K7MXQ-RT4WC", headers=headers)
                statuses.append(answer.status)
            spoofed = await client.get(
                "/verify/K7MXQ-RT4WC", headers={"X-Forwarded-For": "203.0.113.0, 6.6.6.9"}
            )
        if trusted:
            # Two proxies' peers, two lookups each; the spoofed first entry is ignored.
            assert statuses == [200, 200, 200, 200]
            assert spoofed.status == 200  # 6.6.6.9 as seen by the proxy: a fresh address
            assert len(limiter) == 3
        else:
            # One peer (the test client), whatever the header says.
            assert statuses == [200, 200, 429, 429]
            assert spoofed.status == 429
            assert len(limiter) == 1


def test_the_bucket_allows_a_burst_then_refills_evenly() -> None:
    clock = Clock()
    limiter = GuessLimiter(capacity=20, window=600, clock=clock)
    assert [limiter.take("a") for _ in range(20)] == [0.0] * 20
    assert limiter.take("a") == pytest.approx(30.0)
    assert limiter.take("b") == 0.0  # another address has its own bucket
    clock.now += 15
    assert limiter.take("a") == pytest.approx(15.0)  # half a lookup regained
    clock.now += 15
    assert limiter.take("a") == 0.0
    assert limiter.take("a") == pytest.approx(30.0)
    clock.now += 10_000  # a long pause refills the bucket, never beyond its size
    assert [limiter.take("a") for _ in range(20)] == [0.0] * 20
    assert limiter.take("a") > 0


def test_refused_guesses_do_not_dig_a_deeper_hole() -> None:
    clock = Clock()
    limiter = GuessLimiter(capacity=1, window=60, clock=clock)
    assert limiter.take("a") == 0.0
    for _ in range(100):
        assert limiter.take("a") == pytest.approx(60.0)
    clock.now += 60
    assert limiter.take("a") == 0.0


def test_the_limiter_remembers_a_bounded_number_of_addresses() -> None:
    clock = Clock()
    limiter = GuessLimiter(capacity=1, window=600, max_clients=3, clock=clock)
    for address in ("a", "b", "c"):
        limiter.take(address)
    limiter.take("a")  # refused, and now the most recently seen
    limiter.take("d")  # «b», the least recently seen, is forgotten
    assert len(limiter) == 3
    assert limiter.take("a") > 0  # still remembered: still refused
    assert limiter.take("c") > 0
    assert limiter.take("b") == 0.0  # forgotten: starts again with a full bucket
    for number in range(1000):
        limiter.take(f"10.0.{number // 256}.{number % 256}")
    assert len(limiter) == 3


def test_ipv6_neighbours_share_a_bucket() -> None:
    from aiohttp.test_utils import make_mocked_request

    from bot.web import client_key

    def key(forwarded: str) -> str:
        request = make_mocked_request("GET", "/verify", headers={"X-Forwarded-For": forwarded})
        return client_key(request, trust_forwarded=True)

    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("::ffff:203.0.113.7") == "203.0.113.7"
    assert key("203.0.113.7") == "203.0.113.7"


def test_minutes_are_counted_in_russian() -> None:
    words = [ru_plural(n, "минуту", "минуты", "минут") for n in (1, 2, 5, 11, 12, 21, 22, 25)]
    assert words == ["минуту", "минуты", "минут", "минут", "минут", "минуту", "минуты", "минут"]


# --- settings and operations --------------------------------------------------------------


def test_settings_read_the_web_page_knobs(fake_api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"
    off = make_settings(fake_api, url, web_port="", web_base_url="")
    assert off.web_port is None and off.web_base_url is None
    assert off.verification_base_url is None
    on = make_settings(fake_api, url, web_port="8080", web_base_url="https://vmo.example.ru/")
    assert on.web_port == 8080
    assert on.verification_base_url == "https://vmo.example.ru"
    unserved = make_settings(fake_api, url, web_base_url="https://vmo.example.ru")
    assert unserved.verification_base_url is None  # no page is served: QR codes open the bot
    with pytest.raises(ValueError, match="WEB_BASE_URL"):
        make_settings(fake_api, url, web_base_url="vmo.example.ru")


def test_check_reports_a_page_without_its_public_address(fake_api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"

    def findings(**overrides: object) -> list[tuple[bool, str, str]]:
        return [
            (f.ok, f.subject, f.detail)
            for f in _web_findings(make_settings(fake_api, url, **overrides))
        ]

    assert findings() == []
    [(ok, subject, detail)] = findings(web_port=8080)
    assert (ok, subject) == (False, "WEB_BASE_URL") and "QR codes open the bot" in detail
    [(ok, subject, detail)] = findings(web_base_url="https://vmo.example.ru")
    assert (ok, subject) == (False, "WEB_BASE_URL") and "without WEB_PORT" in detail
    [(ok, subject, _)] = findings(web_port=8080, web_base_url="https://vmo.example.ru")
    assert ok and subject == "WEB_BASE_URL"
    [(ok, subject, detail)] = findings(web_port=9100, metrics_port=9100)
    assert not ok and subject == "WEB_PORT" and "METRICS_PORT" in detail
    plain = findings(web_port=8080, web_base_url="http://vmo.example.ru")
    assert [ok for ok, _, _ in plain] == [True, False]


# --- served by the bot's own process ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_bot_serves_the_page_from_its_registry(fake_api, database_url) -> None:  # type: ignore[no-untyped-def]
    """Started and stopped with the application; the lookup reads the database."""

    async def by_telegram_id(session: AsyncSession, code: str) -> Verification | None:
        # A stand-in feature whose «documents» are users: proves the lookup gets a session.
        if code != VALID.code:
            return None
        user = await session.scalar(select(User).where(User.telegram_id == 4242))
        if user is None:
            return None
        return Verification(
            code=code,
            number="ВМО-2026-0042",
            kind="participation",
            title="Сертификат участника",
            full_name=user.full_name,
            issuer="ШМО",
            issued_on=date(2026, 12, 1),
        )

    port = _free_port()
    settings = make_settings(
        fake_api, database_url, web_port=port, web_listen="127.0.0.1", web_lookups_per_10_minutes=3
    )
    bot = BotHarness(fake_api, settings)
    verification.verifier(by_telegram_id)
    try:
        app = await bot.start()
        async with app.bot_data["sessions"]() as session:
            session.add(User(telegram_id=4242, full_name="Сидорова Анна Викторовна"))
            await session.commit()
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as answer:
                assert answer.status == 200
            async with http.get(f"{base}/verify/k7mxq-rt4wc") as answer:
                html = await answer.text()
                assert answer.status == 200
                assert "Сидорова Анна Викторовна" in html
                assert "ВМО-2026-0042" in html
            async with http.get(f"{base}/verify/{UNKNOWN}") as answer:
                assert answer.status == 404
            async with http.get(f"{base}/verify/{UNKNOWN}") as answer:
                assert answer.status == 404
            async with http.get(f"{base}/verify/{UNKNOWN}") as answer:
                assert answer.status == 429  # WEB_LOOKUPS_PER_10_MINUTES=3
        await bot.stop()
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.ClientConnectionError):
                await http.get(f"{base}/healthz")
    finally:
        await bot.stop()
        verification._LOOKUPS.remove(by_telegram_id)


async def test_visitors_hold_at_most_two_database_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    holding = 0
    most = 0
    release = asyncio.Event()

    @asynccontextmanager
    async def sessions() -> AsyncIterator[object]:
        nonlocal holding, most
        holding += 1
        most = max(most, holding)
        try:
            yield object()
        finally:
            holding -= 1

    async def slow(session: AsyncSession, code: str) -> Verification | None:
        await release.wait()
        return VALID if code == VALID.code else None

    # Only this lookup: the features' own would ask the stand-in session for real rows.
    monkeypatch.setattr(verification, "_LOOKUPS", [slow])
    lookup = database_lookup(sessions)  # type: ignore[arg-type]
    waiting = [asyncio.create_task(lookup("K7MXQ-RT4WC")) for _ in range(6)]
    for _ in range(20):
        await asyncio.sleep(0)
    assert most == holding == 2
    release.set()
    found = await asyncio.gather(*waiting)
    assert found == [VALID] * 6
    assert most == 2 and holding == 0


async def test_without_web_port_nothing_is_served(harness) -> None:  # type: ignore[no-untyped-def]
    assert harness.app.bot_data["settings"].web_port is None
    assert "web" not in harness.app.bot_data
