"""Registration: consent → name → organisation → position → subjects → experience →
category → municipality → summary (with edit buttons) → saved.

The same steps edit single fields from /profile (mode "edit").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardMarkup, Update

from bot import deeplinks
from bot.callbacks import Callback, cb
from bot.context import BotContext
from bot.dialogs import Dialog, Turn
from bot.dialogs import register as register_dialog
from bot.keyboards import columns, inline
from handlers.cabinet import PROFILE_FIELDS, edit_buttons, profile_card, send_menu, show_profile
from models import QualificationCategory, User
from services import users
from services.catalogs import CATEGORIES, POSITIONS, SUBJECTS, subject_title
from services.clock import now
from services.errors import InvalidInput
from services.formatting import address_name, format_edition
from services.texts import N_

DIALOG = register_dialog(Dialog("reg"))
ORDER = PROFILE_FIELDS


async def start_registration(update: Update, context: BotContext, payload: str | None) -> None:
    """Open the registration dialog, keeping a deep-link payload for afterwards."""
    await DIALOG.start(update, context, "consent", {"after": payload} if payload else {})


async def start_field_edit(update: Update, context: BotContext, user: User, field: str) -> None:
    """Ask one profile question again; the answer is saved straight away."""
    current = {
        "name": user.full_name,
        "org": user.organisation,
        "position": user.position,
        "subjects": list(user.subjects or []),
        "experience": user.experience_years,
        "category": user.category.value if user.category else None,
        "municipality": user.municipality,
    }
    await DIALOG.start(update, context, field, {"mode": "edit", **current})


async def _advance(turn: Turn, current: str) -> None:
    if turn.data.get("mode") == "edit":
        await _save_single_field(turn, current)
        return
    if turn.data.get("review"):
        await turn.goto("summary")
        return
    await turn.goto(ORDER[ORDER.index(current) + 1] if current in ORDER[:-1] else "summary")


async def _save_single_field(turn: Turn, field: str) -> None:
    values = _profile_values(turn.data)
    column = {"name": "full_name", "org": "organisation", "experience": "experience_years"}.get(
        field, field
    )
    await users.update_profile(
        turn.context.session, telegram_id=turn.state.user_id, **{column: values[column]}
    )
    await turn.finish()
    await turn.say(turn.t.gettext("Saved."))
    await show_profile(turn.update, turn.context)


# consent ---------------------------------------------------------------------------------
async def ask_consent(turn: Turn) -> None:
    t = turn.t
    edition = format_edition(turn.context.settings.consent_version, t.language)
    text = turn.context.render.render("consent.html", t, edition=edition)
    keyboard = inline(
        [
            [(t.plain("✅ I agree"), cb("reg", "consent", "yes"))],
            [(t.plain("Decline"), cb("reg", "consent", "no"))],
        ]
    )
    await turn.show(text, keyboard)


async def on_consent(turn: Turn, data: Callback) -> None:
    if data.action != "consent":
        await turn.repeat()
        return
    if data.arg(0) != "yes":
        await turn.finish()
        await turn.show(
            turn.t.gettext(
                "Without your consent the bot cannot keep your profile, so registration is "
                "stopped and nothing has been saved. You can read /privacy and send /start "
                "whenever you change your mind."
            )
        )
        return
    turn.put(consent_version=turn.context.settings.consent_version, consent_at=now().isoformat())
    await turn.show(turn.t.gettext("Thank you! Your consent is recorded."))
    await turn.goto("name")


# free-text steps ---------------------------------------------------------------------------
TEXT_STEPS: list[tuple[str, str, Callable[[str], object]]] = [
    (
        "name",
        N_(
            "What is your full name? Surname, first name and patronymic, for example: "
            "<i>Ivanova Anna Petrovna</i>."
        ),
        users.clean_full_name,
    ),
    (
        "org",
        N_(
            "Where do you work? Write the name of your school or organisation, for example: "
            "<i>MBOU Secondary School No. 5</i>."
        ),
        users.clean_organisation,
    ),
    (
        "experience",
        N_(
            "How many full years of teaching experience do you have? Send a number, for "
            "example: <i>7</i>."
        ),
        users.clean_experience,
    ),
]


def _add_text_step(key: str, question: str, clean: Callable[[str], object]) -> None:
    async def ask(turn: Turn) -> None:
        await turn.say(turn.t.gettext(question))

    async def on_text(turn: Turn, text: str) -> None:
        try:
            value = clean(text)
        except InvalidInput as error:
            await turn.refuse(error)
            return
        turn.put(**{key: value})
        await _advance(turn, key)

    DIALOG.step(key, ask=ask, on_text=on_text)


# position ------------------------------------------------------------------------------------
async def ask_position(turn: Turn) -> None:
    t = turn.t
    buttons = [(t.plain(title), cb("reg", "pos", key)) for key, title in POSITIONS.items()]
    buttons.append((t.plain("Other…"), cb("reg", "pos", "other")))
    await turn.say(t.gettext("Choose your position:"), inline(columns(buttons, 2)))


async def on_position(turn: Turn, data: Callback) -> None:
    choice = data.arg(0)
    if data.action != "pos" or choice not in (*POSITIONS, "other"):
        await turn.repeat()
        return
    if choice == "other":
        await turn.goto("position_other")
        return
    await turn.show(
        turn.t.gettext("Position: <b>{position}</b>", position=turn.t.plain(POSITIONS[choice]))
    )
    turn.put(position=choice)
    await _advance(turn, "position")


async def ask_position_other(turn: Turn) -> None:
    await turn.say(turn.t.gettext("Write your position, for example: <i>speech pathologist</i>."))


async def on_position_other(turn: Turn, text: str) -> None:
    try:
        value = users.clean_text(text, low=2, high=100)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(position=value)
    await _advance(turn, "position")


# subjects (multi-select) ------------------------------------------------------------------
def _subjects_keyboard(turn: Turn) -> InlineKeyboardMarkup:
    t, chosen = turn.t, set(turn.data.get("subjects", []))
    buttons = [
        (("✅ " if key in chosen else "") + t.plain(title), cb("reg", "subj", key))
        for key, title in SUBJECTS.items()
    ]
    rows = columns(buttons, 2)
    rows.append([(t.plain("Other subject…"), cb("reg", "subj", "other"))])
    rows.append([(t.plain("✅ Done"), cb("reg", "subj", "done"))])
    return inline(rows)


def _subjects_text(turn: Turn) -> str:
    t = turn.t
    chosen = [t.plain(subject_title(s)) for s in turn.data.get("subjects", [])]
    text = t.gettext("Which subjects do you teach? Tap all that apply, then «Done».")
    if chosen:
        text += "\n\n" + t.gettext("Chosen: {subjects}", subjects=", ".join(chosen))
    return text


async def ask_subjects(turn: Turn) -> None:
    await turn.say(_subjects_text(turn), _subjects_keyboard(turn))


async def on_subject(turn: Turn, data: Callback) -> None:
    choice = data.arg(0)
    if data.action != "subj" or choice is None:
        await turn.repeat()
        return
    if choice == "other":
        await turn.goto("subjects_other")
        return
    if choice == "done":
        try:
            turn.put(subjects=users.clean_subjects(turn.data.get("subjects", [])))
        except InvalidInput as error:
            await turn.refuse(error)
            return
        await _advance(turn, "subjects")
        return
    if choice not in SUBJECTS:
        await turn.repeat()
        return
    chosen = list(turn.data.get("subjects", []))
    chosen.remove(choice) if choice in chosen else chosen.append(choice)
    turn.put(subjects=chosen)
    await turn.show(_subjects_text(turn), _subjects_keyboard(turn))


async def ask_subjects_other(turn: Turn) -> None:
    await turn.say(
        turn.t.gettext(
            "Write the subject (or several, separated by commas), for example: <i>Astronomy</i>."
        )
    )


async def on_subjects_other(turn: Turn, text: str) -> None:
    extra = [s.strip() for s in text.split(",") if s.strip()]
    try:
        cleaned = [users.clean_text(s, low=2, high=60) for s in extra]
        subjects = users.clean_subjects([*turn.data.get("subjects", []), *cleaned])
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(subjects=subjects)
    await turn.goto("subjects")


# category --------------------------------------------------------------------------------
async def ask_category(turn: Turn) -> None:
    t = turn.t
    buttons = [(t.plain(title), cb("reg", "cat", c.value)) for c, title in CATEGORIES.items()]
    await turn.say(t.gettext("Choose your qualification category:"), inline(columns(buttons, 1)))


async def on_category(turn: Turn, data: Callback) -> None:
    try:
        category = QualificationCategory(data.arg(0) or "")
    except ValueError:
        await turn.repeat()
        return
    if data.action != "cat":
        await turn.repeat()
        return
    turn.put(category=category.value)
    await turn.show(
        turn.t.gettext("Chosen: <b>{category}</b>", category=turn.t.plain(CATEGORIES[category]))
    )
    await _advance(turn, "category")


# municipality (skippable) -------------------------------------------------------------------
async def ask_municipality(turn: Turn) -> None:
    t = turn.t
    await turn.say(
        t.gettext("Which municipality (city or district) is your school in?"),
        inline([[(t.plain("Skip"), cb("reg", "muni", "skip"))]]),
    )


async def on_municipality_text(turn: Turn, text: str) -> None:
    try:
        value = users.clean_text(text, low=2, high=200)
    except InvalidInput as error:
        await turn.refuse(error)
        return
    turn.put(municipality=value)
    await _advance(turn, "municipality")


async def on_municipality_skip(turn: Turn, data: Callback) -> None:
    if data.action != "muni":
        await turn.repeat()
        return
    turn.put(municipality=None)
    await _advance(turn, "municipality")


# summary -------------------------------------------------------------------------------------
def _profile_values(data: dict) -> dict:
    return {
        "full_name": data.get("name"),
        "organisation": data.get("org"),
        "position": data.get("position"),
        "subjects": data.get("subjects", []),
        "experience_years": data.get("experience"),
        "category": QualificationCategory(data["category"]) if data.get("category") else None,
        "municipality": data.get("municipality"),
    }


def summary_text(turn: Turn) -> str:
    heading = turn.t.gettext("Please check your details:")
    return profile_card(turn.context.render, turn.t, heading, _profile_values(turn.data))


async def ask_summary(turn: Turn) -> None:
    t = turn.t
    rows = edit_buttons(t, "reg")
    rows.append([(t.plain("💾 Save"), cb("reg", "save"))])
    await turn.say(summary_text(turn), inline(rows))


async def on_summary(turn: Turn, data: Callback) -> None:
    if data.action == "edit" and data.arg(0) in PROFILE_FIELDS:
        turn.put(review=True)
        await turn.goto(data.arg(0))  # type: ignore[arg-type]
        return
    if data.action != "save":
        await turn.repeat()
        return
    await _complete(turn)


async def _complete(turn: Turn) -> None:
    values = _profile_values(turn.data)
    profile = users.Profile(**{k: v for k, v in values.items() if v is not None})
    person = turn.update.effective_user
    user = await users.register(
        turn.context.session,
        telegram_id=turn.state.user_id,
        profile=profile,
        consent_version=turn.data.get("consent_version", turn.context.settings.consent_version),
        consent_at=datetime.fromisoformat(turn.data["consent_at"])
        if turn.data.get("consent_at")
        else None,
        language=turn.t.language,
    )
    if person is not None:
        user.telegram_username = person.username
    turn.context.scope.user = user
    after = turn.data.get("after")
    await turn.show(summary_text(turn))
    await turn.finish()
    await turn.say(
        turn.t.gettext(
            "🎉 Registration complete. Welcome, {name}!", name=address_name(user.full_name or "")
        )
    )
    if after and await deeplinks.act(turn.update, turn.context, after):
        return
    if after:
        await turn.say(turn.t.gettext("The link you came with is not valid any more."))
    await send_menu(turn.update, turn.context)


def _setup() -> None:
    DIALOG.step("consent", ask=ask_consent, on_button=on_consent)
    for key, question, clean in TEXT_STEPS:
        _add_text_step(key, question, clean)
    DIALOG.step("position", ask=ask_position, on_button=on_position)
    DIALOG.step("position_other", ask=ask_position_other, on_text=on_position_other)
    DIALOG.step("subjects", ask=ask_subjects, on_button=on_subject)
    DIALOG.step("subjects_other", ask=ask_subjects_other, on_text=on_subjects_other)
    DIALOG.step("category", ask=ask_category, on_button=on_category)
    DIALOG.step(
        "municipality",
        ask=ask_municipality,
        on_text=on_municipality_text,
        on_button=on_municipality_skip,
    )
    DIALOG.step("summary", ask=ask_summary, on_button=on_summary)


_setup()
