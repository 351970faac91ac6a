"""How the bot addresses a person, and the role names people read in refusals."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from models import NetworkRole
from services.access import ROLE_TITLES
from services.errors import PermissionDenied
from services.formatting import address_name, format_edition


@pytest.mark.parametrize(
    ("full_name", "addressed"),
    [
        ("Петрова Елена Ивановна", "Елена Ивановна"),
        ("Соколов Пётр Ильич", "Пётр Ильич"),
        ("Сидорова Мария Ильинична", "Мария Ильинична"),
        ("Мамедов Эльдар Рашид оглы", "Эльдар Рашид оглы"),
        ("Алиева Лейла Гусейн кызы", "Лейла Гусейн кызы"),
        ("Смирнова Ольга", "Ольга"),
        ("Кузнецова Анна Мария", "Анна"),
        ("  Петрова   Елена  Ивановна ", "Елена Ивановна"),
        ("Анна", "Анна"),
        ("", ""),
    ],
)
def test_people_are_addressed_by_name_and_patronymic(full_name: str, addressed: str) -> None:
    assert address_name(full_name) == addressed


def test_consent_edition_reads_as_a_date() -> None:
    assert format_edition("2026-09-01", "ru") == "1 сентября 2026 г."
    assert format_edition("2026-09-01", "en") == "1 September 2026"
    assert format_edition("v2", "ru") == "v2"


def test_the_approver_role_has_one_name_in_refusals() -> None:
    t = Translator("ru")
    refusal = t.error(PermissionDenied(role=ROLE_TITLES[NetworkRole.APPROVER]))
    assert refusal == "⚠️ Извините, это доступно только утверждающим."
