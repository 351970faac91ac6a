"""services.names: cleaning, splitting, initials and grammatical gender of people's names."""

import pytest

from services import formatting
from services.names import (
    Gender,
    NameParts,
    by_gender,
    clean_name,
    grammatical_gender,
    initials_first,
    short_name,
    split_name,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Иванова <b>& Анна Петровна", "Иванова Анна Петровна"),
        ("Смайликова 😀 Анна", "Смайликова Анна"),
        ("😀Смайликова Анна👍", "Смайликова Анна"),
        ("Петров&nbsp;Иван &amp; Иванович", "Петров Иван Иванович"),
        ("  Смирнова\tЕлена\nВикторовна ", "Смирнова Елена Викторовна"),
        ("Воскресенская-Оболенская Анна", "Воскресенская-Оболенская Анна"),
        ("Д'Артаньян Шарль", "Д'Артаньян Шарль"),
        ("Петрова Е. И.", "Петрова Е. И."),
        ("Иванов ☒ -- 123 Иван", "Иванов Иван"),
        ("<script>alert(1)</script>", "alert"),
        ("👩‍🏫", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_name_drops_markup_emoji_and_symbols(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Петрова Елена Ивановна", NameParts("Петрова", "Елена", "Ивановна")),
        ("Мамедов Эльчин Рашид оглы", NameParts("Мамедов", "Эльчин", "Рашид оглы", "оглы")),
        ("Алиева Лейла Рашид кызы", NameParts("Алиева", "Лейла", "Рашид кызы", "кызы")),
        ("Гасанов Вугар Гасан-оглы", NameParts("Гасанов", "Вугар", "Гасан-оглы", "оглы")),
        ("Ким Анна", NameParts("Ким", "Анна")),
        ("Сократ", NameParts("Сократ")),
        ("", NameParts("")),
    ],
)
def test_split_name_finds_surname_given_name_and_patronymic(full, parts):
    assert split_name(full) == parts


@pytest.mark.parametrize(
    ("full", "short", "first"),
    [
        ("Петрова Елена Ивановна", "Петрова Е. И.", "Е. И. Петрова"),
        ("Петров Иван", "Петров И.", "И. Петров"),
        ("Сократ", "Сократ", "Сократ"),
        ("Ким Анна-Мария Сергеевна", "Ким А.-М. С.", "А.-М. С. Ким"),
        ("Мамедов Эльчин Рашид оглы", "Мамедов Э. Р.", "Э. Р. Мамедов"),
        ("Алиева Лейла Рашид кызы", "Алиева Л. Р.", "Л. Р. Алиева"),
        ("Смайликова 😀 Анна", "Смайликова А.", "А. Смайликова"),
        ("Иванова <b>& Анна Петровна", "Иванова А. П.", "А. П. Иванова"),
        ("Петрова Е. И.", "Петрова Е. И.", "Е. И. Петрова"),
        ("иванова анна петровна", "иванова А. П.", "А. П. иванова"),
        ("", "", ""),
    ],
)
def test_initials_are_taken_from_letters_only(full, short, first):
    assert short_name(full) == short
    assert initials_first(full) == first


def test_formatting_keeps_the_old_names_working():
    assert formatting.short_name is short_name
    assert formatting.initials_first is initials_first


@pytest.mark.parametrize(
    ("full", "gender"),
    [
        ("Иванова Анна Петровна", Gender.FEMININE),
        ("Михайлова Наталья Ильинична", Gender.FEMININE),
        ("Петров Иван Иванович", Gender.MASCULINE),
        ("Ульянов Владимир Ильич", Gender.MASCULINE),
        ("Мамедов Эльчин Рашид оглы", Gender.MASCULINE),
        ("Алиева Лейла Рашид кызы", Gender.FEMININE),
        ("Ахмедов Рустам Ильхам оглы", Gender.MASCULINE),
        ("Гасанова Айгюн Гасан-кызы", Gender.FEMININE),
        ("Мамедов Эльчин Рашидоглы", Gender.MASCULINE),
        ("Асанов Бакыт Асан уулу", Gender.MASCULINE),
        ("Константинопольская Анна", Gender.FEMININE),
        ("Волков Сергей", Gender.MASCULINE),
        ("Ким Анна", None),
        ("Ли Мин Хо", None),
        ("Сократ", None),
        ("😀 <b>", None),
    ],
)
def test_gender_follows_the_patronymic_then_the_surname(full, gender):
    assert grammatical_gender(full) == gender


def test_gender_is_not_fooled_by_emoji_after_the_patronymic():
    assert grammatical_gender("Смирнова Елена Викторовна 🌸") is Gender.FEMININE


@pytest.mark.parametrize(
    ("full", "word"),
    [
        ("Иванова Анна Петровна", "присутствовала"),
        ("Петров Иван Иванович", "присутствовал"),
        ("Ким Анна", "присутствует"),
    ],
)
def test_by_gender_picks_the_agreeing_form(full, word):
    assert by_gender(full, "присутствовал", "присутствовала", "присутствует") == word
