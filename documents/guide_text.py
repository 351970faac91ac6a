"""What the participant's guide says: short numbered steps, only those that apply to the
association's settings (no group chat yet → how joining it will work once it is bound; a
forum → its topics; the join policy → how to bring a colleague; the reminders it sends).

Pure: :class:`GuideData` in, (heading, steps) pairs out; ``documents.guide`` lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from documents.regulation_words import people_after_at_most, plural, up_to_words
from services.formatting import format_date

__all__ = ["GuideData", "Section", "guide_sections"]

Section = tuple[str, list[str]]


@dataclass(frozen=True)
class GuideData:
    """The settings the guide is drawn from (``kind``, ``join_policy`` are enum values).

    Everything here goes into the guide's fingerprint: a guide is built again only when
    one of these changes."""

    name: str
    kind: str
    period_start: date
    period_end: date
    organisation: str = ""
    leader: str = ""
    topic: str = ""
    join_policy: str = "open"
    member_cap: int | None = None
    chat_bound: bool = False
    chat_link: str = ""
    chat_is_forum: bool = False
    reminder_hours: Sequence[int] = (24, 1)
    meetings_per_year: int = 4
    regulation_version: int | None = None
    regulation_approved_on: date | None = None
    parent: str = ""
    children: Sequence[str] = ()


def guide_sections(data: GuideData) -> list[Section]:
    """The guide's sections in order, each a heading and its steps."""
    return [
        ("Коротко об объединении", _about(data)),
        ("Групповой чат", _chat(data)),
        ("Заседания", _meetings(data)),
        ("Вопросы руководителю и экспертам", _questions()),
        ("Банк материалов", _materials(data)),
        ("Опросы и анкеты", _surveys(data)),
        ("Поручения", _tasks()),
        ("Сертификат", _certificate(data)),
        ("Общение с коллегами", _fellows()),
        ("Как пригласить коллегу", _colleagues(data)),
        ("Выход и личные данные", _leaving()),
    ]


def _about(data: GuideData) -> list[str]:
    steps = []
    if data.leader:
        steps.append(f"Руководитель — {data.leader}.")
    since, until = format_date(data.period_start), format_date(data.period_end)
    steps.append(f"Объединение работает с {since} по {until}")
    if data.topic:
        steps.append(f"Методическая тема: «{data.topic.rstrip('.')}».")
    if data.regulation_version and data.regulation_approved_on:
        steps.append(
            f"Положение об объединении утверждено (редакция № {data.regulation_version} от "
            f"{format_date(data.regulation_approved_on)}): в нём цели, задачи, права и "
            "обязанности участников. Оно открывается кнопкой «Положение» в карточке "
            "объединения."
        )
    else:
        steps.append(
            "Положение об объединении готовится: когда руководитель его утвердит, оно "
            "появится в карточке объединения (кнопка «Положение»)."
        )
    steps.append(
        f"Карточка объединения: команда /associations, затем «{data.name}». Там же — эта "
        "инструкция."
    )
    return steps


def _chat(data: GuideData) -> list[str]:
    admitted = (
        "Нажмите «Подать заявку на вступление» — бот одобрит её сам, потому что вы участник "
        "объединения."
    )
    if not data.chat_bound:
        return [
            "Групповой чат объединения ещё не подключён. Когда руководитель подключит его, "
            "ссылка на чат появится в карточке объединения.",
            f"Откройте ссылку. {admitted}",
            "До тех пор объявления и приглашения на заседания бот присылает вам в личный чат.",
        ]
    where = f": {data.chat_link}" if data.chat_link else " в карточке объединения"
    steps = [f"Откройте ссылку на групповой чат{where}", admitted]
    if data.chat_is_forum:
        steps.append(
            "Чат разделён на темы «Объявления», «Заседания», «Материалы» и «Консультации»: "
            "пишите в подходящую."
        )
    steps.append(
        "В чате публикуются объявления, карточки заседаний, опросы и протоколы. Бот считает "
        "сообщения участников для отчёта о работе объединения, но их текст не хранит."
    )
    return steps


def _reminders(hours: Sequence[int]) -> str:
    """«за сутки и за час», «за двое суток и за 2 часа»."""
    words = []
    for h in sorted(set(hours), reverse=True):
        if h % 24 == 0:
            days = h // 24
            words.append("за сутки" if days == 1 else f"за {days} суток")
        else:
            words.append("за час" if h == 1 else f"за {h} {plural(h, 'час', 'часа', 'часов')}")
    return " и ".join(words)


def _meetings(data: GuideData) -> list[str]:
    where = " или под карточкой заседания в групповом чате" if data.chat_bound else ""
    steps = [
        f"За учебный год проходит не менее {up_to_words(data.meetings_per_year)} "
        "онлайн-заседаний. О каждом бот пришлёт приглашение: тема, дата и время, ссылка на "
        "онлайн-площадку и файл для календаря.",
        f"Ответьте кнопкой «Буду», «Возможно» или «Не смогу» — под приглашением{where}.",
    ]
    if data.kind == "smo":
        steps.append(
            "Перед заседанием приходят информационное письмо, материалы и анкета; после — "
            "протокол и обсуждение итогов."
        )
    if data.reminder_hours:
        steps.append(f"Бот напомнит о заседании {_reminders(data.reminder_hours)} до начала.")
    steps += [
        "Во время заседания нажмите «Я здесь» — так отмечается присутствие.",
        "После заседания бот пришлёт утверждённый протокол.",
        "Ближайшие заседания и события — команда /events.",
    ]
    return steps


def _questions() -> list[str]:
    return [
        "Команда /ask — задайте вопрос руководителю или эксперту объединения; можно "
        "приложить файл.",
        "Ответ придёт в личный чат. Оцените его; если что-то осталось неясным, задайте "
        "уточняющий вопрос.",
        "Если ваш педагогический стаж меньше трёх лет, вам может быть назначен наставник: "
        "ваши вопросы сначала увидит он.",
    ]


def _materials(data: GuideData) -> list[str]:
    steps = [
        "Команда /upload — загрузите свой материал в личном чате с ботом: файл или ссылку, "
        "название и описание."
    ]
    if data.chat_bound:
        steps.append(
            "В групповом чате ответьте командой /save на сообщение с файлом — и файл попадёт в "
            "банк."
        )
    check = "экспертизы" if data.kind == "vmk" else "проверки руководителем или экспертом"
    steps += [
        f"Материал появится в банке после {check}.",
        "Команда /resources — поиск материалов коллег.",
    ]
    return steps


def _surveys(data: GuideData) -> list[str]:
    steps = []
    if data.chat_bound:
        steps.append("Опросы появляются в групповом чате: выберите вариант ответа.")
    steps.append(
        "Анкеты бот присылает в личный чат; неотвеченные — в команде /survey. Ответы "
        "сохраняются после каждого вопроса, так что продолжить можно позже."
    )
    if data.kind == "smo":
        steps.append(
            "В начале года — анкета диагностики профессиональных потребностей: по её итогам "
            "составляется план работы."
        )
    return steps


def _tasks() -> list[str]:
    return [
        "Команда /tasks — ваши задания и сроки. Сдайте работу кнопкой «Сдать работу»: текстом "
        "или файлом.",
        "Бот напомнит о сроке за день; работу, возвращённую на доработку, исправьте и сдайте "
        "снова.",
    ]


def _certificate(data: GuideData) -> list[str]:
    if data.kind == "vpo":
        return [
            "По окончании работы ВПО участники, выполнившие её программу, получают "
            "сертификат. Запросите его командой /certificate."
        ]
    return ["Команда /certificate — запросить документ об участии в работе объединения."]


def _fellows() -> list[str]:
    return [
        "Команда /members — участники ваших объединений. Кнопка «Написать» отправит "
        "сообщение через бот: ваш аккаунт в Telegram никто не увидит.",
        "Под полученным сообщением есть кнопки «Ответить», «Не получать сообщения» и "
        "«Пожаловаться».",
    ]


def _colleagues(data: GuideData) -> list[str]:
    steps = [
        {
            "approval": "Коллега находит объединение в каталоге /associations и нажимает "
            "«Вступить» — заявку рассмотрит руководитель.",
            "invitation": "В объединение вступают по приглашению: попросите руководителя "
            "отправить коллеге ссылку-приглашение.",
        }.get(
            data.join_policy,
            "Коллеге достаточно найти объединение в каталоге /associations и нажать «Вступить».",
        )
    ]
    if data.member_cap:
        steps.append(
            f"В объединении {people_after_at_most(data.member_cap)}; если мест нет, можно "
            "встать в очередь — бот предложит место, когда оно освободится."
        )
    if data.parent:
        steps.append(f"Объединение входит в «{data.parent}».")
    if data.children:
        names = ", ".join(f"«{child}»" for child in data.children)
        steps.append(
            f"Внутри объединения есть дочерние сообщества: {names}. Вступить в них можно из "
            "их карточек."
        )
    return steps


def _leaving() -> list[str]:
    return [
        "Команда /leave — выйти из объединения.",
        "Команда /mydata — файл со всеми сведениями о вас, которые хранит бот.",
        "Команда /forget — удалить свои персональные данные; /privacy — как бот обращается с "
        "данными.",
        "Команда /cancel прерывает любой начатый диалог с ботом.",
    ]
