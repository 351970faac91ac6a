"""The verification page in a real browser: headless Chromium (Debian's) driven by Selenium,
in a phone-sized window. The pages are read as a person sees them and photographed; the
screenshots are also left in /tmp/web-*.png for a person to look at."""

from __future__ import annotations

import asyncio
import io
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.web import GuessLimiter, WebServer, make_web_app
from services.verification import Verification

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH, HEIGHT = 390, 844

VALID = Verification(
    code="K7MXQRT4WC",
    number="ВМО-2026-0001",
    kind="participation",
    title="Сертификат участника",
    full_name="Константинопольская Александра Вячеславовна",
    issuer="Городское методическое объединение учителей математики «Логос»",
    issued_on=date(2026, 12, 1),
    period_start=date(2026, 9, 1),
    period_end=date(2027, 5, 31),
)
REVOKED = Verification(
    code="HDMXQ4WT7P",
    number="ВМО-2026-0002",
    kind="publication",
    title="Свидетельство о публикации",
    full_name="Петров Пётр Ильич",
    issuer="ШМО учителей истории",
    issued_on=date(2026, 11, 20),
    revoked_on=date(2026, 12, 3),
    revoked_reason="Материал снят с публикации по просьбе автора",
)


async def _lookup(code: str) -> Verification | None:
    return {VALID.code: VALID, REVOKED.code: REVOKED}.get(code)


class ServedSite:
    """The site on a free port, in a thread of its own (Selenium's calls block)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        app = make_web_app(_lookup, limiter=GuessLimiter(capacity=1000))
        self.server = WebServer(app, host="127.0.0.1", port=0)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(timeout=30)
        return f"http://127.0.0.1:{self.server.port}"

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)
        self.loop.close()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with ServedSite() as base:
        yield base


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Chromium or chromedriver is not installed (apt-get install chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_window_size(WIDTH, HEIGHT)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser, url: str):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(url)
    return browser.find_element(By.TAG_NAME, "body")


def _photograph(browser, tmp_path: Path, name: str) -> bytes:  # type: ignore[no-untyped-def]
    png = browser.get_screenshot_as_png()
    (tmp_path / f"web-{name}.png").write_bytes(png)
    shutil.copyfile(tmp_path / f"web-{name}.png", f"/tmp/web-{name}.png")
    return png


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=1 << 20) or []}


def _assert_a_real_page(png: bytes) -> None:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert abs(width - WIDTH) <= 20
    assert len(png) > 10_000  # a blank or a one-colour image is a few hundred bytes
    assert len(_colours(png)) > 50  # text antialiased on several backgrounds


def _fits_the_phone(browser) -> None:  # type: ignore[no-untyped-def]
    width = browser.execute_script("return document.documentElement.clientWidth")
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= WIDTH
    assert scroll <= width, "the page scrolls sideways on a phone"


def test_a_valid_document_reads_well_on_a_phone(browser, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = _open(browser, f"{site}/verify/K7MXQ-RT4WC")
    text = body.text
    assert "Документ действителен" in text
    assert "Константинопольская Александра Вячеславовна" in text
    assert "ВМО-2026-0001" in text
    assert "с 1 сентября 2026 г. по 31 мая 2027 г." in text
    assert "1 декабря 2026 г." in text
    assert "K7MXQ-RT4WC" in text
    assert browser.title.startswith("Документ действителен")
    _fits_the_phone(browser)
    png = _photograph(browser, tmp_path, "valid")
    _assert_a_real_page(png)
    assert (26, 127, 55) in _colours(png)  # the green mark of a valid document


def test_a_revoked_document_reads_well_on_a_phone(browser, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = _open(browser, f"{site}/verify/hdmxq4wt7p")
    text = body.text
    assert "Документ отозван" in text
    assert "Документ действителен" not in text
    assert "3 декабря 2026 г." in text
    assert "Материал снят с публикации по просьбе автора" in text
    assert "Свидетельство о публикации" in text
    _fits_the_phone(browser)
    png = _photograph(browser, tmp_path, "revoked")
    _assert_a_real_page(png)
    assert (180, 35, 24) in _colours(png)  # the red mark of a revoked document


def test_an_unknown_code_and_the_form_work_without_javascript(browser, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    body = _open(browser, f"{site}/verify/AAAAA-CCCCC")
    assert "Документ с таким кодом не найден" in body.text
    assert "Константинопольская" not in body.text
    _fits_the_phone(browser)
    png = _photograph(browser, tmp_path, "unknown")
    _assert_a_real_page(png)
    # Typing the right code into the form on that page finds the document.
    field = browser.find_element(By.NAME, "code")
    assert field.get_attribute("value") == "AAAAA-CCCCC"
    field.clear()
    field.send_keys("k7mxq-rt4wc")
    browser.find_element(By.TAG_NAME, "button").click()
    # The click starts a navigation; the old page's body goes stale when the new one is in.
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(body))
    assert "Документ действителен" in browser.find_element(By.TAG_NAME, "body").text
    assert browser.current_url.endswith("/verify?code=k7mxq-rt4wc")


def test_the_form_reads_well_on_a_phone(browser, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    body = _open(browser, f"{site}/verify")
    assert "Проверка документа по коду" in body.text
    assert browser.find_element(By.NAME, "code").is_displayed()
    _fits_the_phone(browser)
    _assert_a_real_page(_photograph(browser, tmp_path, "form"))
