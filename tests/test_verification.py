"""Verification codes: printed and typed forms, links, the registry of lookups."""

from datetime import date

import pytest

from services import verification
from services.verification import (
    CODE_ALPHABET,
    Verification,
    new_code,
    normalize_code,
    printed_code,
    verification_link,
)


def test_a_new_code_uses_only_the_alphabet_and_reads_back_from_print() -> None:
    code = new_code()
    assert len(code) == 10 and set(code) <= set(CODE_ALPHABET)
    assert printed_code(code)[5] == "-"
    assert normalize_code(printed_code(code).lower()) == code
    assert normalize_code(f" {code[:5]} {code[5:]} ") == code


@pytest.mark.parametrize("typed", ["", "ABC", "K7MXQ-RT4W0", "K7MXQ-RT4WCC", "K7MXQ RT4W!"])
def test_malformed_codes_are_refused(typed: str) -> None:
    assert normalize_code(typed) is None


def test_the_link_prefers_the_web_page() -> None:
    assert verification_link("K7MXQRT4WC", bot_username="vmo_bot", web_base_url=None) == (
        "https://t.me/vmo_bot?start=verify_K7MXQRT4WC"
    )
    assert verification_link(
        "K7MXQRT4WC", bot_username="vmo_bot", web_base_url="https://vmo.example.ru/"
    ) == ("https://vmo.example.ru/verify/K7MXQRT4WC")
    with pytest.raises(ValueError):
        verification_link("K7MXQRT4WC", bot_username=None, web_base_url=None)


async def test_verify_asks_each_registered_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    found = Verification(
        code="K7MXQRT4WC",
        number="ВМО-2026-0001",
        kind="participation",
        title="Сертификат участника",
        full_name="Иванова Мария Петровна",
        issuer="ВМО учителей математики",
        issued_on=date(2026, 5, 30),
    )

    async def nothing(session, code):  # type: ignore[no-untyped-def]
        return None

    async def one(session, code):  # type: ignore[no-untyped-def]
        return found if code == found.code else None

    monkeypatch.setattr(verification, "_LOOKUPS", [])
    verification.verifier(nothing)
    verification.verifier(one)
    assert await verification.verify(None, "k7mxq-rt4wc") == found  # type: ignore[arg-type]
    assert await verification.verify(None, "K7MXQ-RT4WD") is None  # type: ignore[arg-type]
    assert await verification.verify(None, "forged<script>") is None  # type: ignore[arg-type]
    assert found.valid
