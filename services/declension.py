"""Russian names declined for documents: «выдан Ивановой Марии Петровне».

A full name is «Фамилия Имя Отчество» (services/names.py splits it). The gender comes
from the patronymic (…вна, …ична → female; …вич, …ич → male; «оглы», «кызы»), else from
pymorphy3's tag of the given name, else from the surname's ending. Then:

- given names and patronymics are inflected by pymorphy3 (its dictionary knows «Лев» →
  «Льву», «Любовь» → «Любови»); unknown ones by the regular endings;
- surnames by the rules of Russian grammar rather than by pymorphy's guesses: «-ых», «-их»
  («Черных», «Долгих»), «-ко» («Шевченко»), foreign ones ending in a vowel other than
  а/я («Гюго», «Дюма» is an exception no rule can see), and women's surnames ending in a
  consonant («Шмидт», «Гоголь») are not declined; «-ов», «-ин» and «-ский» follow their
  adjective-like paradigms; others decline as nouns («Шмидту», «Сковороде»);
- hyphenated parts are declined each on its own («Римскому-Корсакову», «Ивановой-Петровой»);
- a letter ё is kept where the input has it («Королёвой») and never added where it has
  not; capitalisation follows the input («ИВАНОВОЙ» for «ИВАНОВА»).

A leader's correction (models.certificates.NameCorrection) overrides all of this; see
services/certificates/names.py.
"""

from __future__ import annotations

from functools import cache

import pymorphy3

from models.certificates import GrammaticalCase
from services.names import Gender, clean_name, grammatical_gender, split_name

__all__ = ["decline_full_name", "decline_given", "decline_patronymic", "decline_surname", "gender"]

_FEMALE_PATRONYMIC = ("вна", "чна", "шна")
_MALE_PATRONYMIC = ("вич", "ич")
_VOWELS = "аеёиоуыэюя"
_INDECLINABLE = ("ых", "их", "ко", "аго", "яго", "ово")

# (ending, dative, genitive) of the adjective-like and -ов/-ин paradigms.
_MALE_SURNAME = (
    ("ский", "скому", "ского"),
    ("цкий", "цкому", "цкого"),
    ("ской", "скому", "ского"),
    ("цкой", "цкому", "цкого"),
    ("ий", "ему", "его"),  # Крайний → Крайнему (after г, к, х see below)
    ("ый", "ому", "ого"),
    ("ой", "ому", "ого"),
    ("ов", "ову", "ова"),
    ("ев", "еву", "ева"),
    ("ёв", "ёву", "ёва"),
    ("ин", "ину", "ина"),
    ("ын", "ыну", "ына"),
)
_FEMALE_SURNAME = (
    ("ская", "ской", "ской"),
    ("цкая", "цкой", "цкой"),
    ("яя", "ей", "ей"),
    ("ая", "ой", "ой"),
    ("ова", "овой", "овой"),
    ("ева", "евой", "евой"),
    ("ёва", "ёвой", "ёвой"),
    ("ина", "иной", "иной"),
    ("ына", "ыной", "ыной"),
)


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def _like(source: str, result: str) -> str:
    """`result` (lower case) written the way `source` is: capitals, and no ё added."""
    if "ё" not in source.lower():
        result = result.replace("ё", "е")
    if source.isupper() and len(source) > 1:
        return result.upper()
    return result[:1].upper() + result[1:] if source[:1].isupper() else result


def _case(case: GrammaticalCase) -> str:
    return case.value


def _tagged(word: str, grammeme: str, sex: Gender | None):  # type: ignore[no-untyped-def]
    """pymorphy's nominative parse of `word` as a Name/Patr of the gender, if it knows one."""
    wanted = {Gender.MASCULINE: "masc", Gender.FEMININE: "femn"}.get(sex) if sex else None
    for parse in _morph().parse(word):
        tag = parse.tag
        fits = wanted is None or wanted in tag or "ms-f" in tag
        if grammeme in tag and "nomn" in tag and "sing" in tag and fits:
            return parse
    return None


def gender(full_name: str) -> Gender | None:
    """The person's gender: patronymic first, then pymorphy's given name, then the surname."""
    parts = split_name(full_name)
    patronymic = parts.patronymic.lower()
    if parts.particle or patronymic.endswith(_FEMALE_PATRONYMIC + _MALE_PATRONYMIC):
        return grammatical_gender(full_name)
    if parts.given:
        for parse in _morph().parse(parts.given):
            if "Name" in parse.tag and "nomn" in parse.tag:
                if "femn" in parse.tag:
                    return Gender.FEMININE
                if "masc" in parse.tag:
                    return Gender.MASCULINE
    return grammatical_gender(full_name)


def _noun_ending(word: str, sex: Gender | None, case: GrammaticalCase) -> str:
    """A name declined as a noun by its ending (for names pymorphy does not know)."""
    lower = word.lower()
    dative = case is GrammaticalCase.DATIVE
    if lower.endswith("ия"):
        return word[:-1] + "и"
    if lower.endswith(("а", "я")) and len(lower) > 1 and lower[-2] not in _VOWELS:
        soft = lower.endswith("я")
        if dative:
            return word[:-1] + "е"
        hushing = lower[-2] in "гкхжчшщ"
        return word[:-1] + ("и" if soft or hushing else "ы")
    if sex is Gender.FEMININE:
        return word  # Шмидт, Гоголь, Нинель are not declined for a woman
    if lower.endswith("ь"):
        return word[:-1] + ("ю" if dative else "я")
    if lower.endswith("й") and len(lower) > 1 and lower[-2] in _VOWELS:
        return word[:-1] + ("ю" if dative else "я")
    if lower[-1] in _VOWELS:
        return word  # Гюго, Руссо, Гёте
    return word + ("у" if dative else "а")


def decline_given(word: str, sex: Gender | None, case: GrammaticalCase) -> str:
    if not word:
        return word
    parse = _tagged(word, "Name", sex)
    if parse is not None:
        inflected = parse.inflect({_case(case)})
        if inflected is not None:
            return _like(word, inflected.word)
    return _noun_ending(word, sex, case)


def decline_patronymic(word: str, sex: Gender | None, case: GrammaticalCase) -> str:
    """«Петровна» → «Петровне»; «Рашид оглы» stays as it is (the particle is not declined)."""
    if not word or " " in word.strip():
        return word
    lower = word.lower()
    dative = case is GrammaticalCase.DATIVE
    if lower.endswith(_FEMALE_PATRONYMIC):
        return word[:-1] + ("е" if dative else "ы")
    if lower.endswith(_MALE_PATRONYMIC):
        return word + ("у" if dative else "а")
    parse = _tagged(word, "Patr", sex)
    if parse is not None and (inflected := parse.inflect({_case(case)})) is not None:
        return _like(word, inflected.word)
    return word


def _surname_part(word: str, sex: Gender | None, case: GrammaticalCase) -> str:
    lower = word.lower()
    column = 1 if case is GrammaticalCase.DATIVE else 2
    if len(lower) < 2 or lower.endswith(_INDECLINABLE):
        return word
    if lower[-1] in "еиоуыэю":
        return word  # Гюго, Руссо, Дюпре, Ли
    if (
        len(lower) > 1
        and lower[-1] in "ая"
        and lower[-2] in _VOWELS
        and not lower.endswith(("ая", "яя", "ия"))
    ):
        return word  # Гарсиа, Моруа
    table = _FEMALE_SURNAME if sex is Gender.FEMININE else _MALE_SURNAME
    for ending, *forms in table:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            if ending == "ий" and lower[-3] in "гкхжчшщ":
                return word[:-2] + ("ому" if column == 1 else "ого")
            return word[: -len(ending)] + _case_of(word, ending, forms[column - 1])
    if sex is Gender.FEMININE and lower.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return word  # a woman's «Петров»-like surname without -а: not declined
    if sex is not Gender.FEMININE and lower.endswith("яц"):
        word = word[:-2] + "йц"  # the fleeting vowel: Заяц → Зайцу
    return _noun_ending(word, sex, case)


def _case_of(word: str, ending: str, form: str) -> str:
    """`form`, without an ё the input's ending did not have."""
    if "ё" in form and "ё" not in word[-len(ending) :].lower():
        return form.replace("ё", "е")
    return form


def decline_surname(surname: str, sex: Gender | None, case: GrammaticalCase) -> str:
    """Each part of a hyphenated surname on its own: «Римскому-Корсакову»."""
    return "-".join(_surname_part(part, sex, case) for part in surname.split("-"))


def decline_full_name(full_name: str, case: GrammaticalCase = GrammaticalCase.DATIVE) -> str:
    """«Иванова Мария Петровна» → «Ивановой Марии Петровне» (the name cleaned first)."""
    parts = split_name(full_name)
    if not parts.surname:
        return clean_name(full_name)
    sex = gender(full_name)
    words = [decline_surname(parts.surname, sex, case)]
    if parts.given:
        words.append("-".join(decline_given(piece, sex, case) for piece in parts.given.split("-")))
    if parts.patronymic:
        words.append(decline_patronymic(parts.patronymic, sex, case))
    sources = [parts.surname, parts.given, parts.patronymic]
    return " ".join(_capitals(source, word) for source, word in zip(sources, words, strict=False))


def _capitals(source: str, word: str) -> str:
    """A word typed in capitals («ИВАНОВА») stays in capitals once declined."""
    return word.upper() if source.isupper() and len(source) > 1 else word
