"""Associations end to end: the creation dialog with its validations, proposals, the catalogue
and card, joining under each policy, the cap and waiting list, /leave, roles and removal,
the roster as PDF and CSV."""

from __future__ import annotations

from sqlalchemy import select

from models import (
    Association,
    AssociationStatus,
    AuditEntry,
    JoinPolicy,
    Membership,
    MembershipStatus,
    NetworkRole,
    OutboxMessage,
)
from models.db import unit_of_work
from services.clock import now
from services.formatting import academic_year_bounds, academic_year_of
from tests.documents.pdf_probe import full_text
from tests.factories import add_member, make_association, make_teacher
from tests.flows import button, press, register_teacher, say

METHODIST = 730_001
LEADER = 730_002
TEACHER = 730_003
OTHER = 730_004
NEWCOMER = 730_005


async def _people(harness, fake_api, *ids: int, **roles):  # type: ignore[no-untyped-def]
    """Registered teachers with these Telegram ids (in the fake world and the database)."""
    users = {}
    async with unit_of_work(harness.sessions) as session:
        for telegram_id in ids:
            fake_api.add_user(telegram_id, f"Учитель{telegram_id % 100}")
            users[telegram_id] = await make_teacher(
                session,
                telegram_id,
                full_name=roles.get(f"name_{telegram_id}"),
                roles=roles.get(f"roles_{telegram_id}", ()),
            )
    return users


async def _club(harness, **extra):  # type: ignore[no-untyped-def]
    async with unit_of_work(harness.sessions) as session:
        leader = (
            await make_teacher(session, LEADER, full_name="Петрова Мария Ивановна")
            if extra.pop("new_leader", True)
            else None
        )
        club = await make_association(session, leader=leader, **extra)
        return club.id, club.join_code


async def _drain(harness) -> None:  # type: ignore[no-untyped-def]
    await harness.app.bot_data["outbox"].drain()


async def _membership(harness, association_id: int, telegram_id: int):  # type: ignore[no-untyped-def]
    from models import User

    await harness.idle(0.1)
    async with harness.sessions() as session:
        return await session.scalar(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.association_id == association_id, User.telegram_id == telegram_id)
        )


async def test_methodist_creates_an_association_with_every_validation(harness, fake_api):
    # The network's DEFAULT_TIMEZONE is the new association's time zone.
    settings = harness.app.bot_data["settings"]
    harness.app.bot_data["settings"] = settings.model_copy(
        update={"default_timezone": "Asia/Yekaterinburg"}
    )
    await _people(
        harness,
        fake_api,
        METHODIST,
        LEADER,
        TEACHER,
        roles_730001=(NetworkRole.METHODIST,),
        name_730002="Петрова Мария Ивановна",
    )
    refused = await say(fake_api, TEACHER, "/new_association", "только")
    assert "методист" in refused["text"]

    kinds = await say(fake_api, METHODIST, "/new_association", "Новое объединение")
    assert "Сетевое педагогическое сообщество" in kinds["text"]  # spelled out above
    await press(fake_api, METHODIST, kinds, "Сетевое сообщество", "Название объединения")
    await say(fake_api, METHODIST, "ВМО", "от 5 до 300")
    await say(fake_api, METHODIST, "Сообщество учителей физики <b>", "Методическая тема")
    await say(fake_api, METHODIST, "Тема", "от 5 до 1000")
    organisation = await say(fake_api, METHODIST, "Цифровая лаборатория на уроке", "Организация")
    assert button(organisation, "Оставить")
    await say(fake_api, METHODIST, "ОУ", "от 3 до 300")
    await say(fake_api, METHODIST, "МБОУ «Лицей № 2»", "Цель и задачи")
    await say(fake_api, METHODIST, "ок", "от 3 до 1000")
    period = await say(fake_api, METHODIST, "Цель: освоить цифровую лабораторию.", "На какой срок")
    year, _ = academic_year_of(now().date())
    assert button(period, f"{year}/{year + 1} учебный год")
    typing = await press(fake_api, METHODIST, period, "Другой срок", "01.09.2026 – 31.05.2027")
    assert button(typing, "учебный год")
    await say(fake_api, METHODIST, f"01.09.{year + 1} - 01.09.{year}", "раньше даты начала")
    await say(fake_api, METHODIST, f"01.09.{year}—01.09.{year + 3}", "не более чем на два года")
    scopes = await say(
        fake_api, METHODIST, f"01.09.{year} – 30.06.{year + 2}", "предметному составу"
    )
    subjects = await press(fake_api, METHODIST, scopes, "монопредметное", "Какие предметы")
    done = button(subjects, "Готово")
    fake_api.user_presses(METHODIST, subjects, done)
    await fake_api.wait_for_message(METHODIST, "хотя бы один")
    subjects = await fake_api.wait_for_message(METHODIST, "Какие предметы")
    fake_api.user_presses(METHODIST, subjects, button(subjects, "Физика"))
    await fake_api.wait_for(
        lambda: "✅ Физика" in str(fake_api.world.chat(METHODIST).messages[subjects["message_id"]])
    )
    current = fake_api.world.chat(METHODIST).messages[subjects["message_id"]]
    fake_api.user_presses(METHODIST, current, button(current, "Математика"))
    await fake_api.wait_for(
        lambda: (
            "✅ Математика" in str(fake_api.world.chat(METHODIST).messages[subjects["message_id"]])
        )
    )
    current = fake_api.world.chat(METHODIST).messages[subjects["message_id"]]
    fake_api.user_presses(METHODIST, current, button(current, "Готово"))
    await fake_api.wait_for_message(METHODIST, "ровно один")
    current = await fake_api.wait_for_message(METHODIST, "Какие предметы")
    fake_api.user_presses(METHODIST, current, button(current, "Математика"))
    await fake_api.wait_for(
        lambda: (
            "✅ Математика"
            not in str(fake_api.world.chat(METHODIST).messages[current["message_id"]])
        )
    )
    current = fake_api.world.chat(METHODIST).messages[current["message_id"]]
    policies = await press(fake_api, METHODIST, current, "Готово", "Как вступают")
    cap = await press(fake_api, METHODIST, policies, "С одобрения", "лимит участников")
    assert button(cap, "Оставить 150")
    await say(fake_api, METHODIST, "1", "от 2 до 10000")
    await say(fake_api, METHODIST, "30", "дочернее сообщество")
    await say(fake_api, METHODIST, "Несуществующее", "с таким названием нет")
    parent = await fake_api.wait_for_message(METHODIST, "дочернее сообщество")
    await press(fake_api, METHODIST, parent, "Самостоятельное", "Приказ")
    await say(fake_api, METHODIST, "15 от 31.02.2026", "номер и дату приказа")
    await say(fake_api, METHODIST, "15 от 01.09.2026", "Кто будет руководителем")
    await say(fake_api, METHODIST, "Никтоненайден", "Среди зарегистрированных педагогов такого нет")
    picks = await say(fake_api, METHODIST, "Петрова", "Выберите руководителя")
    summary = await press(fake_api, METHODIST, picks, "Петрова", "Проверьте")
    assert "&lt;b&gt;" in summary["text"] or "<b>" not in summary["text"].split("\n")[2]
    assert "Лимит участников: 30" in summary["text"]
    assert "Организация: МБОУ «Лицей № 2»" in summary["text"]
    assert "Вступление: с одобрения руководителя" in summary["text"]
    assert "№ 15 от 01.09.2026" in summary["text"]
    assert "🎯 Цель и задачи: Цель: освоить цифровую лабораторию." in summary["text"]
    assert button(summary, "✏️ Цель и задачи") and button(summary, "✏️ Срок")
    done = await press(fake_api, METHODIST, summary, "Создать", "создано")
    assert "t.me/vmo_test_bot?start=join_" in done["text"]

    await harness.idle(0.1)
    async with harness.sessions() as session:
        created = await session.scalar(select(Association))
    assert created.member_cap == 30 and created.join_policy == JoinPolicy.APPROVAL
    assert created.timezone == "Asia/Yekaterinburg"
    assert created.subjects == ["physics"] and created.order_ref == "№ 15 от 01.09.2026"
    assert created.name == "Сообщество учителей физики <b>"
    assert created.goals == "Цель: освоить цифровую лабораторию."
    assert created.organisation == "МБОУ «Лицей № 2»"  # not the methodist's own
    assert (created.period_start.isoformat(), created.period_end.isoformat()) == (
        f"{year}-09-01",
        f"{year + 2}-06-30",
    )
    await _drain(harness)
    told = await fake_api.wait_for_message(LEADER, "назначены руководителем")
    assert created.join_code in told["text"]


async def test_proposal_is_approved_and_the_initiator_told(harness, fake_api):
    await _people(harness, fake_api, METHODIST, TEACHER, roles_730001=(NetworkRole.APPROVER,))
    kinds = await say(fake_api, TEACHER, "/propose", "остаётся черновиком")
    await press(fake_api, TEACHER, kinds, "ВМО школы", "Название")
    await say(fake_api, TEACHER, "ВМО учителей истории", "Методическая тема")
    organisation = await say(fake_api, TEACHER, "Работа с историческими источниками", "Организация")
    goals = await press(fake_api, TEACHER, organisation, "Оставить", "Цель и задачи")
    period = await press(fake_api, TEACHER, goals, "Пропустить", "На какой срок")
    scopes = await press(fake_api, TEACHER, period, "учебный год", "предметному составу")
    subjects = await press(fake_api, TEACHER, scopes, "надпредметное", "Какие предметы")
    fake_api.user_presses(TEACHER, subjects, button(subjects, "История"))
    await fake_api.wait_for(
        lambda: "✅ История" in str(fake_api.world.chat(TEACHER).messages[subjects["message_id"]])
    )
    current = fake_api.world.chat(TEACHER).messages[subjects["message_id"]]
    policies = await press(fake_api, TEACHER, current, "Готово", "Как вступают")
    cap = await press(fake_api, TEACHER, policies, "Открытое", "лимит участников")
    parent = await press(fake_api, TEACHER, cap, "Без лимита", "дочернее")
    order = await press(fake_api, TEACHER, parent, "Самостоятельное", "Приказ")
    summary = await press(fake_api, TEACHER, order, "Пропустить", "Проверьте")
    assert "Кто будет руководителем" not in summary["text"]
    assert "Цель и задачи: не указаны" in summary["text"]
    assert "Организация: МБОУ «СОШ № 5»" in summary["text"]  # the initiator's, kept
    period = await press(fake_api, TEACHER, summary, "✏️ Срок", "На какой срок")
    typing = await press(fake_api, TEACHER, period, "Другой срок", "Пришлите даты")
    await say(fake_api, TEACHER, "01.09.2020 – 31.05.2021", "уже закончился")
    summary = await press(fake_api, TEACHER, typing, "учебный год", "Проверьте")
    await press(fake_api, TEACHER, summary, "Отправить", "отправлено на одобрение")
    await _drain(harness)
    ask = await fake_api.wait_for_message(METHODIST, "предлагает новое объединение")
    await press(fake_api, METHODIST, ask, "Принять", "одобрено")
    await _drain(harness)
    told = await fake_api.wait_for_message(TEACHER, "одобрено")
    assert "Вы — руководитель" in told["text"]
    await harness.idle(0.1)
    async with harness.sessions() as session:
        proposal = await session.scalar(select(Association))
    assert proposal.status == AssociationStatus.ACTIVE
    assert proposal.goals is None
    assert (proposal.period_start, proposal.period_end) == academic_year_bounds(
        academic_year_of(now().date())[0]
    )
    assert button(ask, "Принять") and not fake_api.world.chat(METHODIST).messages[
        ask["message_id"]
    ].get("reply_markup")


async def test_catalogue_card_and_open_join_by_deep_link_after_registration(harness, fake_api):
    club_id, code = await _club(harness, name="ВМО учителей математики", subjects=["math"])
    async with unit_of_work(harness.sessions) as session:
        club = await session.get(Association, club_id)
        club.rules_text = "Уважайте коллег."
        for _n in range(2):
            await add_member(session, club, await make_teacher(session))
    fake_api.add_user(NEWCOMER, "Ольга")
    await register_teacher(harness, fake_api, NEWCOMER, start=f"/start join_{code}")
    welcome = await fake_api.wait_for_message(NEWCOMER, "Добро пожаловать в «ВМО учителей")
    assert "Уважайте коллег." in welcome["text"]
    menu = await say(fake_api, NEWCOMER, "/menu", "Главное меню")
    catalogue = await press(fake_api, NEWCOMER, menu, "🏛 Объединения", "Объединения")
    assert "4 участника" in catalogue["text"]
    card = await press(fake_api, NEWCOMER, catalogue, "ВМО учителей математики", "Тема:")
    assert "Руководитель: Петрова Мария Ивановна" in card["text"]
    assert "Вы в объединении: участник" in card["text"]
    assert "Код для вступления" not in card["text"]  # only managers see it
    membership = await _membership(harness, club_id, NEWCOMER)
    assert membership.status == MembershipStatus.ACTIVE and membership.joined_via == "link"
    # Filters: a kind with nothing in it, then paging is absent and the text says so.
    fake_api.user_presses(NEWCOMER, card, button(card, "Каталог"))
    await fake_api.wait_for_message(NEWCOMER, "Объединения", edits=True)
    listing = fake_api.world.chat(NEWCOMER).messages[card["message_id"]]
    fake_api.user_presses(NEWCOMER, listing, button(listing, "ВМК"))
    await fake_api.wait_for_message(NEWCOMER, "Пока ничего не найдено", edits=True)


async def test_join_by_approval_and_decline(harness, fake_api):
    club_id, code = await _club(harness, join_policy=JoinPolicy.APPROVAL)
    fake_api.add_user(LEADER, "Мария")
    people = await _people(harness, fake_api, TEACHER, OTHER)
    await say(fake_api, TEACHER, "/join", "/join AB12CD")
    await say(fake_api, TEACHER, "/join NOPE00", "Объединения с кодом NOPE00 нет")
    await say(fake_api, TEACHER, f"/join {code}", "отправлена руководителю")
    await say(fake_api, TEACHER, f"/join {code}", "ждёт решения")
    await say(fake_api, OTHER, f"/join {code}", "отправлена руководителю")
    await _drain(harness)
    asks = [await fake_api.wait_for_message(LEADER, "подаёт заявку") for _ in range(2)]
    # The two requests reach the leader as separate outbox rows: their order is not fixed.
    first, second = sorted(asks, key=lambda m: people[TEACHER].full_name not in m["text"])
    await press(fake_api, LEADER, first, "Принять", "теперь участник")
    await press(fake_api, LEADER, second, "Отклонить", "отклонена")
    await _drain(harness)
    await fake_api.wait_for_message(TEACHER, "одобрена")
    await fake_api.wait_for_message(OTHER, "отклонена руководителем")
    assert (await _membership(harness, club_id, TEACHER)).status == MembershipStatus.ACTIVE
    assert (await _membership(harness, club_id, OTHER)).status == MembershipStatus.DECLINED


async def test_invitation_policy_only_through_the_leaders_link(harness, fake_api):
    club_id, code = await _club(harness, join_policy=JoinPolicy.INVITATION)
    fake_api.add_user(LEADER, "Мария")
    await _people(harness, fake_api, TEACHER)
    await say(fake_api, TEACHER, f"/join {code}", "только по приглашению")
    card = await say(fake_api, LEADER, "/associations", "Объединения")
    card = await press(fake_api, LEADER, card, "ВМО", "Код для вступления")
    link_message = await press(fake_api, LEADER, card, "Ссылка-приглашение", "Ссылка-приглашение")
    payload = link_message["text"].split("start=")[1].split()[0]
    await say(fake_api, TEACHER, f"/start {payload}", "Добро пожаловать")
    membership = await _membership(harness, club_id, TEACHER)
    assert membership.status == MembershipStatus.ACTIVE and membership.joined_via == "invitation"


async def test_cap_waiting_list_and_offer_after_leave(harness, fake_api):
    club_id, code = await _club(harness, member_cap=2)
    await _people(harness, fake_api, TEACHER, OTHER)
    await say(fake_api, TEACHER, f"/join {code}", "Добро пожаловать")
    full = await say(fake_api, OTHER, f"/join {code}", "нет свободных мест")
    await press(fake_api, OTHER, full, "очередь", "под номером 1")
    leave = await say(fake_api, TEACHER, "/leave", "Из какого объединения")
    confirm = await press(fake_api, TEACHER, leave, "ВМО", "Выйти из")
    await press(fake_api, TEACHER, confirm, "Да, выйти", "Вы вышли")
    await _drain(harness)
    offer = await fake_api.wait_for_message(OTHER, "освободилось место")
    await press(fake_api, OTHER, offer, "Занять место", "Добро пожаловать")
    assert (await _membership(harness, club_id, OTHER)).status == MembershipStatus.ACTIVE
    assert (await _membership(harness, club_id, TEACHER)).status == MembershipStatus.LEFT
    # The leader cannot simply leave.
    fake_api.add_user(LEADER, "Мария")
    leave = await say(fake_api, LEADER, "/leave", "Из какого объединения")
    confirm = await press(fake_api, LEADER, leave, "ВМО", "Выйти из")
    fake_api.user_presses(LEADER, confirm, button(confirm, "Да, выйти"))
    await fake_api.wait_for(
        lambda: any(
            "передайте руководство" in (a.get("text") or "")
            for a in fake_api.callback_answers.values()
        )
    )


async def test_roles_removal_with_reason_and_roster_exports(harness, fake_api):
    club_id, _ = await _club(harness, name="ВМО учителей математики")
    fake_api.add_user(LEADER, "Мария")
    await _people(harness, fake_api, TEACHER, OTHER, name_730003="Сидорова Елена Викторовна")
    async with unit_of_work(harness.sessions) as session:
        club = await session.get(Association, club_id)
        club.organisation = "МБОУ «Лицей № 7»"
        from models import User

        for telegram_id in (TEACHER, OTHER):
            user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
            await add_member(session, club, user)
    roster = await say(
        fake_api, LEADER, "/members", "Участники объединения «ВМО учителей математики»"
    )
    assert "3 участника" in roster["text"]
    person = await press(fake_api, LEADER, roster, "Сидорова Елена", "Роль: участник")
    fake_api.user_presses(LEADER, person, button(person, "секретарь"))
    await fake_api.wait_for_message(LEADER, "Роль: секретарь", edits=True)
    await _drain(harness)
    await fake_api.wait_for_message(TEACHER, "теперь: секретарь")
    person = fake_api.world.chat(LEADER).messages[person["message_id"]]
    await press(fake_api, LEADER, person, "Исключить", "причину исключения")
    await say(fake_api, LEADER, "x", "от 3 до 500")
    await say(fake_api, LEADER, "Не участвует в работе", "исключение из")
    await _drain(harness)
    told = await fake_api.wait_for_message(TEACHER, "Вас исключили")
    assert "Не участвует в работе" in told["text"]
    assert (await _membership(harness, club_id, TEACHER)).status == MembershipStatus.REMOVED

    roster = await say(fake_api, LEADER, "/members", "Участники")
    fake_api.user_presses(LEADER, roster, button(roster, "PDF"))
    pdf = await fake_api.wait_for_message(LEADER, "Картотека")
    fake_api.user_presses(LEADER, roster, button(roster, "CSV"))
    csv = await fake_api.wait_for_message(LEADER, "Картотека")
    assert pdf["document"]["file_name"].endswith(".pdf")
    assert csv["document"]["file_name"].endswith(".csv")
    pdf_bytes = fake_api.world.files.get(pdf["document"]["file_id"]).content
    text = full_text(pdf_bytes)
    assert "КАРТОТЕКА УЧАСТНИКОВ" in text and "Петрова Мария Ивановна" in text
    assert "МБОУ «Лицей № 7»" in text  # the association's organisation heads it
    assert "Сидорова Елена" not in text
    csv_text = fake_api.world.files.get(csv["document"]["file_id"]).content.decode("utf-8-sig")
    assert "ФИО;Организация" in csv_text and "руководитель" in csv_text

    # A member without rights gets a polite refusal.
    await say(fake_api, OTHER, "/members", "доступен руководителю")
    await harness.idle(0.1)
    async with harness.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    assert rows and all(r.status.value in ("sent",) for r in rows)


async def test_join_command_by_an_unregistered_person_registers_first(harness, fake_api):
    club_id, code = await _club(harness)
    fake_api.add_user(NEWCOMER, "Ольга")
    await register_teacher(harness, fake_api, NEWCOMER, start=f"/join {code}")
    await fake_api.wait_for_message(NEWCOMER, "Добро пожаловать в «ВМО")
    assert (await _membership(harness, club_id, NEWCOMER)).status == MembershipStatus.ACTIVE


async def test_leader_edits_the_details_and_a_member_cannot(harness, fake_api):
    club_id, code = await _club(harness, name="ВМО учителей матемтики", member_cap=5)
    fake_api.add_user(LEADER, "Мария")
    await _people(harness, fake_api, TEACHER, OTHER)
    await say(fake_api, TEACHER, f"/join {code}", "Добро пожаловать")
    catalogue = await say(fake_api, LEADER, "/associations", "Объединения")
    card = await press(fake_api, LEADER, catalogue, "матемтики", "Тема:")
    summary = await press(fake_api, LEADER, card, "Изменить сведения", "Часовой пояс: Москва")
    assert "Сохранить изменения" in str(summary["reply_markup"])

    await press(fake_api, LEADER, summary, "Название", "например")
    summary = await say(fake_api, LEADER, "ВМО учителей математики", "Часовой пояс", new=True)
    assert "ВМО учителей математики" in summary["text"]
    zones = await press(fake_api, LEADER, summary, "✏️ Часовой пояс", "В каком часовом поясе")
    summary = await press(fake_api, LEADER, zones, "Новосибирск", "Часовой пояс: Новосибирск")
    asked = await press(fake_api, LEADER, summary, "✏️ Организация", "шапке плана")
    assert "МБОУ «СОШ № 5»" in asked["text"]  # what it is now, kept with «Оставить»
    summary = await say(fake_api, LEADER, "МБОУ «Гимназия № 1»", "Часовой пояс", new=True)
    assert "Организация: МБОУ «Гимназия № 1»" in summary["text"]
    # A limit below the members it has now is refused with the count, and asked again.
    await press(fake_api, LEADER, summary, "Лимит", "лимит участников")
    summary = await say(fake_api, LEADER, "30", "Часовой пояс", new=True)
    async with unit_of_work(harness.sessions) as session:  # meanwhile, the club fills up
        club = await session.get(Association, club_id)
        for _n in range(2):
            await add_member(session, club, await make_teacher(session))
    await press(fake_api, LEADER, summary, "✏️ Лимит", "лимит участников")
    summary = await say(fake_api, LEADER, "3", "Часовой пояс", new=True)
    refused = await press(fake_api, LEADER, summary, "Сохранить изменения", "в объединении: 4")
    assert "не может быть меньше" in refused["text"]
    await fake_api.wait_for_message(LEADER, "лимит участников")
    summary = await say(fake_api, LEADER, "30", "Часовой пояс", new=True)
    await press(fake_api, LEADER, summary, "Сохранить изменения", "Изменения в «ВМО учителей")

    await harness.idle(0.1)
    async with harness.sessions() as session:
        club = await session.get(Association, club_id)
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "association.edit")
        )
    assert (club.name, club.timezone, club.member_cap, club.organisation) == (
        "ВМО учителей математики",
        "Asia/Novosibirsk",
        30,
        "МБОУ «Гимназия № 1»",
    )
    changed = {"name", "timezone", "member_cap", "organisation"}
    assert entry is not None and set(entry.details["fields"]) == changed

    # A member sees no such button; a forged press is refused politely and changes nothing.
    catalogue = await say(fake_api, TEACHER, "/associations", "Объединения")
    card = await press(fake_api, TEACHER, catalogue, "математики", "Тема:")
    assert "Изменить сведения" not in str(card["reply_markup"])
    forged = {
        **card,
        "reply_markup": {
            "inline_keyboard": [[{"text": "x", "callback_data": f"as2:edit:{club_id}"}]]
        },
    }
    fake_api.world.chat(TEACHER).messages[card["message_id"]] = forged
    await harness.idle()
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(TEACHER, forged, f"as2:edit:{club_id}")
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    answer = fake_api.calls_of("answerCallbackQuery")[-1].params
    assert answer.get("show_alert") and "руководител" in answer["text"], fake_api.dump(6)
    await harness.idle(0.1)
    async with harness.sessions() as session:
        assert await session.get(Association, club_id) is not None
        edits = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "association.edit"))
        ).all()
    assert len(edits) == 1


async def test_a_lapsed_offer_passes_to_the_next_in_line(harness, fake_api):
    from datetime import timedelta

    from scheduler import jobs
    from services.clock import set_clock

    club_id, code = await _club(harness, member_cap=2)
    await _people(harness, fake_api, TEACHER, OTHER, NEWCOMER)
    await say(fake_api, TEACHER, f"/join {code}", "Добро пожаловать")
    for telegram_id, place in ((OTHER, "под номером 1"), (NEWCOMER, "под номером 2")):
        full = await say(fake_api, telegram_id, f"/join {code}", "нет свободных мест")
        await press(fake_api, telegram_id, full, "очередь", place)
    leave = await say(fake_api, TEACHER, "/leave", "Из какого объединения")
    confirm = await press(fake_api, TEACHER, leave, "ВМО", "Выйти из")
    await press(fake_api, TEACHER, confirm, "Да, выйти", "Вы вышли")
    await _drain(harness)
    await fake_api.wait_for_message(OTHER, "освободилось место")

    moment = now() + timedelta(hours=49)  # the first offer has lapsed unanswered
    set_clock(lambda: moment)
    await jobs.runner_of(harness.app).renew()
    assert await jobs.run_now(harness.app, "waiting-list-offers")
    await _drain(harness)
    offer = await fake_api.wait_for_message(NEWCOMER, "освободилось место")
    await press(fake_api, NEWCOMER, offer, "Занять место", "Добро пожаловать")
    assert (await _membership(harness, club_id, NEWCOMER)).status == MembershipStatus.ACTIVE
    lapsed = await _membership(harness, club_id, OTHER)
    assert lapsed is None or lapsed.status != MembershipStatus.ACTIVE


async def test_a_refused_offer_keeps_the_place_on_offer(harness, fake_api):
    """Taking a place marks the offer taken, then joining is refused: nothing of it stays."""
    from models.associations_extra import WaitingListEntry, WaitingStatus

    club_id, code = await _club(harness, member_cap=2)
    await _people(harness, fake_api, TEACHER, OTHER)
    await say(fake_api, TEACHER, f"/join {code}", "Добро пожаловать")
    full = await say(fake_api, OTHER, f"/join {code}", "нет свободных мест")
    await press(fake_api, OTHER, full, "очередь", "под номером 1")
    leave = await say(fake_api, TEACHER, "/leave", "Из какого объединения")
    confirm = await press(fake_api, TEACHER, leave, "ВМО", "Выйти из")
    await press(fake_api, TEACHER, confirm, "Да, выйти", "Вы вышли")
    await _drain(harness)
    offer = await fake_api.wait_for_message(OTHER, "освободилось место")
    async with unit_of_work(harness.sessions) as session:
        club = await session.get(Association, club_id)
        club.status = AssociationStatus.FINISHED
    fake_api.user_presses(OTHER, offer, button(offer, "Занять место"))
    await fake_api.wait_for(
        lambda: any(
            "не принимает" in (a.get("text") or "") for a in fake_api.callback_answers.values()
        )
    )
    await harness.idle(0.1)
    async with harness.sessions() as session:
        entry = await session.scalar(select(WaitingListEntry))
    assert entry.status == WaitingStatus.OFFERED
    assert (await _membership(harness, club_id, OTHER)) is None


async def test_a_button_of_the_old_format_is_answered_as_out_of_date(harness, fake_api):
    club_id, _ = await _club(harness)
    await _people(harness, fake_api, TEACHER)
    catalogue = await say(fake_api, TEACHER, "/associations", "Объединения")
    old = f"as:card:{club_id}"  # a catalogue sent before the as2 format
    sent_before = {
        **catalogue,
        "reply_markup": {"inline_keyboard": [[{"text": "ВМО", "callback_data": old}]]},
    }
    fake_api.world.chat(TEACHER).messages[catalogue["message_id"]] = sent_before
    before = len(fake_api.calls_of("answerCallbackQuery"))
    fake_api.user_presses(TEACHER, sent_before, old)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("answerCallbackQuery")) > before)
    answer = fake_api.calls_of("answerCallbackQuery")[-1].params
    assert answer.get("show_alert") and "устарела" in answer["text"]
