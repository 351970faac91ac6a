"""The certificate (A4 landscape) and the registry (a portrait table), read back."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from pdf_probe import contains, font_names, full_text, lines, reader

import documents.certificate as certificate
from documents.certificate import (
    CertificateData,
    RegistryData,
    RegistryRow,
    build_certificate,
    build_registry,
    hours_phrase,
)
from documents.data import AssociationInfo
from services.verification import verification_link

LINK = verification_link("K7MXQRT4WC", bot_username="vmo_bot", web_base_url=None)
SAMPLE = CertificateData(
    title="certificate",
    recipient_dative="Ивановой Марии Петровне",
    association=AssociationInfo(
        name="ВМО учителей математики", kind="vmo", organisation="МБОУ «СОШ № 5» г. Твери"
    ),
    period_start=date(2025, 9, 1),
    period_end=date(2026, 5, 31),
    issued_on=date(2026, 5, 31),
    number="ВМО-2026-0001",
    printed_code="K7MXQ-RT4WC",
    link=LINK,
    topic="Формирование функциональной грамотности обучающихся",
    hours=18,
    leader_name="А. П. Сидорова",
)
LONG = dataclasses.replace(
    SAMPLE,
    recipient_dative="Римскому-Корсакову Константину-Александру Вольдемаровичу-Константиновичу",
    association=AssociationInfo(
        name="Виртуальное методическое объединение учителей русского языка и литературы "
        "общеобразовательных организаций Тверской области и Новгородской области",
        kind="vmo",
        organisation="Государственное автономное учреждение дополнительного профессионального "
        "образования «Тверской областной институт усовершенствования учителей»",
    ),
    topic="Формирование функциональной грамотности обучающихся средствами проектной и "
    "исследовательской деятельности на уроках и во внеурочной деятельности в условиях "
    "реализации обновлённых ФГОС",
    hours=21,
)


def test_the_certificate_says_who_what_when_and_how_to_check() -> None:
    pdf = build_certificate(SAMPLE)
    pages = reader(pdf).pages
    assert len(pages) == 1 and pages[0].mediabox.width > pages[0].mediabox.height  # landscape
    text = full_text(pdf)
    for phrase in (
        "МБОУ «СОШ № 5» г. Твери",
        "СЕРТИФИКАТ",
        "выдан",
        "Ивановой Марии Петровне",
        "за участие в работе ВМО учителей математики",
        "по теме «Формирование функциональной грамотности обучающихся»",
        "с 1 сентября 2025 г. по 31 мая 2026 г. в объёме 18 часов",
        "А. П. Сидорова",
        "Дата выдачи: 31 мая 2026 г.",
        "ВМО-2026-0001",
        "Код проверки: K7MXQ-RT4WC",
    ):
        assert phrase in text, phrase
    fonts = font_names(pdf)
    assert {"PTSerif-Regular", "PTSerif-Bold"} <= fonts, fonts
    assert not {n for n in fonts if "Helvetica" in n or "Times" in n}, fonts


def test_the_qr_code_holds_the_verification_link(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, float]] = []
    real = certificate.draw_qr

    def spy(canvas, data: str, x: float, y: float, size: float) -> None:  # type: ignore[no-untyped-def]
        seen.append((data, size))
        real(canvas, data, x, y, size)

    monkeypatch.setattr(certificate, "draw_qr", spy)
    build_certificate(SAMPLE)
    assert seen == [("https://t.me/vmo_bot?start=verify_K7MXQRT4WC", certificate.QR_SIZE)]
    page = dataclasses.replace(
        SAMPLE,
        link=verification_link("K7MXQRT4WC", bot_username="vmo_bot", web_base_url="https://v.ru/"),
    )
    build_certificate(page)
    assert seen[-1][0] == "https://v.ru/verify/K7MXQRT4WC"


def test_titles_of_the_other_documents() -> None:
    other = build_certificate(dataclasses.replace(SAMPLE, title="participation"))
    assert "ДОКУМЕНТ ОБ УЧАСТИИ" in full_text(other) and "СЕРТИФИКАТ" not in full_text(other)
    publication = build_certificate(
        dataclasses.replace(SAMPLE, title="publication", material_title="Урок «Дроби»")
    )
    text = full_text(publication)
    assert "СВИДЕТЕЛЬСТВО О ПУБЛИКАЦИИ" in text and "выдано" in text
    assert "материал «Урок „Дроби“» опубликован в банке ресурсов ВМО учителей" in text


def test_long_names_shrink_but_are_never_cut() -> None:
    pdf = build_certificate(LONG)
    assert len(reader(pdf).pages) == 1
    for word in LONG.recipient_dative.split():
        assert contains(pdf, word), word  # whole, never hyphenated
    assert contains(pdf, "в объёме 21 часа")
    assert contains(pdf, "Новгородской области") and contains(pdf, "обновлённых ФГОС")
    # Nothing overlaps the signature: the period line comes before it, each on its own line.
    found = lines(pdf)
    period = next(i for i, line in enumerate(found) if "в объёме 21 часа" in line)
    signature = next(i for i, line in enumerate(found) if "Руководитель ВМО" in line)
    assert period < signature and "Руководитель" not in found[period]


@pytest.mark.parametrize(
    ("hours", "phrase"),
    [(1, "1 часа"), (18, "18 часов"), (21, "21 часа"), (11, "11 часов"), (72, "72 часов")],
)
def test_hours_after_v_obyome(hours: int, phrase: str) -> None:
    assert hours_phrase(hours) == f"в объёме {phrase.replace(' ', chr(160))}"


def test_the_registry_lists_valid_and_revoked() -> None:
    rows = [
        RegistryRow(
            "ВМО-2026-0001",
            "Иванова Мария Петровна",
            "Сертификат участника",
            date(2026, 5, 31),
            "K7MXQ-RT4WC",
        ),
        RegistryRow(
            "ВМО-2026-0002",
            "Петров Пётр Ильич",
            "Сертификат участника",
            date(2026, 5, 31),
            "ACDEF-GHJKL",
            revoked_on=date(2026, 6, 2),
            revoked_reason="выдан по ошибке",
        ),
    ]
    pdf = build_registry(RegistryData(SAMPLE.association, rows, date(2026, 6, 3)))
    text = full_text(pdf)
    assert "Реестр выданных сертификатов ВМО учителей математики" in text
    assert "Иванова Мария Петровна" in text and "ВМО-2026-0002" in text
    assert contains(pdf, "аннулирован 2 июня 2026 г.: выдан по ошибке")
    empty = build_registry(RegistryData(SAMPLE.association, [], date(2026, 6, 3)))
    assert "Сертификаты не выдавались." in full_text(empty)


def test_every_block_of_a_long_certificate_fits_its_box() -> None:
    width = certificate.PAGE_W - 2 * certificate.SIDE
    room = 100 * certificate.mm
    laid = certificate._laid_out(LONG, width, room)
    assert sum(p.wrap(width, certificate.PAGE_H)[1] + after for p, after in laid) <= room
    assert all(p.minWidth() <= width for p, _ in laid)  # no word wider than the line
    short = certificate._laid_out(SAMPLE, width, room)
    assert short[1][0].style.fontSize == 30  # a usual name keeps its full size
    assert laid[1][0].style.fontSize < 30  # the long one is shrunk
