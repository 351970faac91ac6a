"""Fixed choices offered as buttons: positions, subjects, categories. Keys are stored."""

from __future__ import annotations

from models import QualificationCategory
from services.texts import T_, LazyText

POSITIONS: dict[str, LazyText] = {
    "teacher": T_("Teacher"),
    "deputy_director": T_("Deputy director"),
    "director": T_("Director"),
    "methodist": T_("Methodist"),
    "educator": T_("Preschool teacher"),
    "additional": T_("Teacher of additional education"),
    "psychologist": T_("Educational psychologist"),
    "speech_therapist": T_("Speech therapist"),
    "social_pedagogue": T_("Social pedagogue"),
    "librarian": T_("Teacher-librarian"),
}

SUBJECTS: dict[str, LazyText] = {
    "russian": T_("Russian language"),
    "literature": T_("Literature"),
    "math": T_("Mathematics"),
    "informatics": T_("Computer science"),
    "physics": T_("Physics"),
    "chemistry": T_("Chemistry"),
    "biology": T_("Biology"),
    "geography": T_("Geography"),
    "history": T_("History"),
    "social": T_("Social studies"),
    "english": T_("English"),
    "foreign": T_("Other foreign languages"),
    "primary": T_("Primary school"),
    "art": T_("Art"),
    "music": T_("Music"),
    "technology": T_("Technology"),
    "pe": T_("Physical education"),
    "safety": T_("Life safety"),
    "native": T_("Native language and literature"),
    "preschool": T_("Preschool education"),
}

CATEGORIES: dict[QualificationCategory, LazyText] = {
    QualificationCategory.NONE: T_("No category"),
    QualificationCategory.COMPLIANCE: T_("Compliance with the position"),
    QualificationCategory.FIRST: T_("First category"),
    QualificationCategory.HIGHEST: T_("Highest category"),
    QualificationCategory.METHODIST: T_("Teacher-methodist"),
    QualificationCategory.MENTOR: T_("Teacher-mentor"),
}


def subject_title(key_or_text: str) -> str:
    """A stored subject: a catalogue key (translatable) or the teacher's own words."""
    return SUBJECTS.get(key_or_text, key_or_text)


def position_title(key_or_text: str) -> str:
    return POSITIONS.get(key_or_text, key_or_text)
