"""The association's group chat end to end: binding and rights, join requests from a member,
a non-member and an unregistered person, chat_member tracking and greeting, removal from the
association removing from the chat, group→supergroup migration, forum topics, activity."""

from __future__ import annotations

from sqlalchemy import select

from models import ActivityEvent, Association, User
from models.associations_extra import AssociationChatLink, ChatMemberSeen
from models.db import unit_of_work
from tests.factories import add_member, make_association, make_teacher
from tests.flows import press, say

LEADER = 740_001
MEMBER = 740_002
OUTSIDER = 740_003
STRANGER = 740_004
GROUP = -100_740_001
FORUM = -100_740_002


async def _world(harness, fake_api, *, chat_id=GROUP, forum=False, rights=None, admin=True):  # type: ignore[no-untyped-def]
    for telegram_id, name in ((LEADER, "Мария"), (MEMBER, "Олег"), (OUTSIDER, "Ирина")):
        fake_api.add_user(telegram_id, name)
    fake_api.add_user(STRANGER, "Гость")
    fake_api.add_chat(
        chat_id,
        "ВМО математиков",
        is_forum=forum,
        bot_is_admin=admin,
        bot_rights=rights,
        members={LEADER: "creator", MEMBER: "member"},
    )
    async with unit_of_work(harness.sessions) as session:
        leader = await make_teacher(session, LEADER, full_name="Петрова Мария Ивановна")
        club = await make_association(session, leader=leader, name="ВМО учителей математики")
        await add_member(session, club, await make_teacher(session, MEMBER))
        await make_teacher(session, OUTSIDER)
        return club.id, club.join_code


async def _association(harness, association_id: int) -> Association:  # type: ignore[no-untyped-def]
    await harness.idle(0.1)
    async with harness.sessions() as session:
        return await session.get(Association, association_id)


async def test_binding_checks_the_leader_and_lists_missing_rights(harness, fake_api):
    club_id, code = await _world(harness, fake_api, admin=False)
    fake_api.world.chat(GROUP).bot_status = "left"
    fake_api.my_chat_member_update(GROUP, "member", by_user_id=LEADER)
    hello = await fake_api.wait_for_message(GROUP, "/bind")
    assert "Пригласительные ссылки" in hello["text"]

    fake_api.user_sends(MEMBER, f"/bind {code}", chat_id=GROUP)
    refusal = await fake_api.wait_for_message(GROUP, "только")
    assert "руководител" in refusal["text"]

    fake_api.user_sends(LEADER, f"/bind {code}", chat_id=GROUP)
    missing = await fake_api.wait_for_message(GROUP, "сделайте меня администратором")
    for right in ("Пригласительные", "Закрепление", "Удаление", "Блокировка"):
        assert right in missing["text"]
    assert (await _association(harness, club_id)).chat_id is None

    chat = fake_api.world.chat(GROUP)
    chat.bot_status = "administrator"
    chat.bot_rights["can_pin_messages"] = False
    fake_api.user_sends(LEADER, f"/bind {code}", chat_id=GROUP)
    missing = await fake_api.wait_for_message(GROUP, "сделайте меня администратором")
    assert "Закрепление сообщений" in missing["text"] and "Пригласительные" not in missing["text"]

    chat.bot_rights["can_pin_messages"] = True
    fake_api.user_sends(LEADER, f"/bind {code}", chat_id=GROUP)
    bound = await fake_api.wait_for_message(
        GROUP, "привязана к объединению «ВМО учителей математики»"
    )
    link_call = fake_api.calls_of("createChatInviteLink")[-1]
    assert link_call.params["creates_join_request"] is True
    assert (await _association(harness, club_id)).chat_id == GROUP
    assert link_call.result["invite_link"] in bound["text"]

    # A member who joins the association now gets the group's link.
    fake_api.user_sends(OUTSIDER, f"/join {code}")
    welcome = await fake_api.wait_for_message(OUTSIDER, "Добро пожаловать")
    assert link_call.result["invite_link"] in welcome["text"]


async def _bound(harness, fake_api, **kwargs):  # type: ignore[no-untyped-def]
    club_id, code = await _world(harness, fake_api, **kwargs)
    chat_id = kwargs.get("chat_id", GROUP)
    fake_api.user_sends(LEADER, f"/bind {code}", chat_id=chat_id)
    await fake_api.wait_for_message(chat_id, "привязана")
    await harness.idle(0.1)
    async with harness.sessions() as session:
        link = await session.scalar(select(AssociationChatLink.invite_link))
    return club_id, code, link


async def test_join_requests_member_non_member_and_unregistered(harness, fake_api):
    _club_id, code, link = await _bound(harness, fake_api)
    fake_api.world.chat(GROUP).members.pop(MEMBER)
    fake_api.join_request(MEMBER, GROUP, link)
    fake_api.join_request(OUTSIDER, GROUP, link)
    fake_api.join_request(STRANGER, GROUP, link)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("declineChatJoinRequest")) == 2)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("approveChatJoinRequest")) == 1)
    assert fake_api.calls_of("approveChatJoinRequest")[0].params["user_id"] == MEMBER
    declined = {c.params["user_id"] for c in fake_api.calls_of("declineChatJoinRequest")}
    assert declined == {OUTSIDER, STRANGER}
    not_member = await fake_api.wait_for_message(OUTSIDER, "пока в нём не состоите")
    assert f"start=join_{code}" in not_member["text"]
    unregistered = await fake_api.wait_for_message(STRANGER, "Зарегистрируйтесь")
    assert f"start=join_{code}" in unregistered["text"]
    assert fake_api.world.chat(GROUP).members[MEMBER] == "member"


async def test_members_tracked_greeted_and_removed_with_the_association(harness, fake_api):
    club_id, _, _ = await _bound(harness, fake_api)
    async with unit_of_work(harness.sessions) as session:
        club = await session.get(Association, club_id)
        club.rules_text = "Пишем по делу."
    fake_api.world.chat(GROUP).members.pop(MEMBER)
    fake_api.chat_member_update(GROUP, MEMBER, "left", "member")
    await harness.idle(0.1)
    await harness.app.bot_data["outbox"].drain()
    greeting = await fake_api.wait_for_message(GROUP, "Добро пожаловать, Олег")
    assert "Пишем по делу." in greeting["text"]
    assert greeting["reply_markup"]["inline_keyboard"][0][0]["url"].endswith("vmo_test_bot")
    async with harness.sessions() as session:
        seen = await session.scalar(
            select(ChatMemberSeen).where(ChatMemberSeen.telegram_id == MEMBER)
        )
    assert seen.status == "member"

    roster = await say(fake_api, LEADER, "/members", "Участники")
    person = await press(fake_api, LEADER, roster, "2.", "Роль")
    await press(fake_api, LEADER, person, "Исключить", "причину исключения")
    await say(fake_api, LEADER, "Перешёл в другую школу", "исключение из")
    await fake_api.wait_for(lambda: fake_api.calls_of("banChatMember"))
    assert fake_api.calls_of("banChatMember")[-1].params["user_id"] == MEMBER
    assert fake_api.world.chat(GROUP).members[MEMBER] in ("left", "kicked")


async def test_group_becomes_supergroup_and_keeps_working(harness, fake_api):
    old = -740_009
    club_id, _code, link = await _bound(harness, fake_api, chat_id=old)
    fake_api.world.chat(old).type = "group"
    fake_api.migrate_group(old, GROUP)
    fake_api.push_update(
        {
            "message": {
                "message_id": 99,
                "date": 0,
                "chat": {"id": old, "type": "group", "title": "ВМО математиков"},
                "from": {"id": LEADER, "is_bot": False, "first_name": "Мария"},
                "migrate_to_chat_id": GROUP,
            }
        }
    )
    await fake_api.wait_for(lambda: fake_api.pending_updates == [])
    assert (await _association(harness, club_id)).chat_id == GROUP
    fake_api.world.chat(GROUP).members.pop(MEMBER)
    fake_api.join_request(MEMBER, GROUP, link)
    await fake_api.wait_for(lambda: fake_api.calls_of("approveChatJoinRequest"))


async def test_forum_topics_are_created_on_binding(harness, fake_api):
    club_id, _, _ = await _bound(harness, fake_api, chat_id=FORUM, forum=True)
    names = [c.params["name"] for c in fake_api.calls_of("createForumTopic")]
    assert names == ["Объявления", "Заседания", "Материалы", "Консультации"]
    association = await _association(harness, club_id)
    assert set(association.forum_topics) == {
        "announcements",
        "meetings",
        "resources",
        "consultations",
    }
    assert association.chat_is_forum


async def test_forum_binding_without_topic_rights_is_refused(harness, fake_api):
    _club_id, code = await _world(
        harness, fake_api, chat_id=FORUM, forum=True, rights={"can_manage_topics": False}
    )
    fake_api.user_sends(LEADER, f"/bind {code}", chat_id=FORUM)
    missing = await fake_api.wait_for_message(FORUM, "сделайте меня администратором")
    assert "Управление темами" in missing["text"]


async def test_group_messages_count_as_activity_without_text(harness, fake_api):
    club_id, _, _ = await _bound(harness, fake_api)
    before = len(fake_api.sent_to(GROUP))
    fake_api.user_sends(MEMBER, "Коллеги, добрый день!", chat_id=GROUP)
    fake_api.user_sends(MEMBER, "Когда заседание?", chat_id=GROUP)
    await harness.idle(0.2)
    async with harness.sessions() as session:
        events = (await session.scalars(select(ActivityEvent))).all()
        member = await session.scalar(select(User).where(User.telegram_id == MEMBER))
    group_events = [e for e in events if e.kind == "group_message"]
    assert len(group_events) == 2
    assert all(e.user_id == member.id and e.association_id == club_id for e in group_events)
    assert len(fake_api.sent_to(GROUP)) == before  # no fallback replies in the group


async def test_a_child_community_binds_its_own_group(harness, fake_api):
    """The parent's group and the child's group each admit only their own members."""
    parent_id, _code, parent_link = await _bound(harness, fake_api)
    child_group = -100_740_009
    fake_api.add_chat(child_group, "Молодые учителя математики", members={MEMBER: "creator"})
    async with unit_of_work(harness.sessions) as session:
        child_leader = await session.scalar(select(User).where(User.telegram_id == MEMBER))
        child = await make_association(
            session, leader=child_leader, name="Клуб молодых математиков", parent_id=parent_id
        )
        child_id, child_code = child.id, child.join_code
    # The parent's leader is not the child's leader: refused there.
    fake_api.user_sends(LEADER, f"/bind {child_code}", chat_id=child_group)
    await fake_api.wait_for_message(child_group, "только")
    fake_api.user_sends(MEMBER, f"/bind {child_code}", chat_id=child_group)
    await fake_api.wait_for_message(
        child_group, "привязана к объединению «Клуб молодых математиков»"
    )
    await harness.idle(0.1)
    async with harness.sessions() as session:
        child = await session.get(Association, child_id)
        parent = await session.get(Association, parent_id)
        child_link = await session.scalar(
            select(AssociationChatLink.invite_link).where(
                AssociationChatLink.association_id == child_id
            )
        )
    assert (child.chat_id, parent.chat_id) == (child_group, GROUP)
    assert child_link and child_link != parent_link

    # The parent's leader is not a member of the child: declined in the child's group.
    fake_api.join_request(LEADER, child_group, child_link)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("declineChatJoinRequest")) == 1)
    assert fake_api.calls_of("declineChatJoinRequest")[0].params["chat_id"] == child_group
    told = await fake_api.wait_for_message(LEADER, "пока в нём не состоите")
    assert f"start=join_{child_code}" in told["text"]
    # The child's leader, who left the parent's group, is let back in there.
    fake_api.world.chat(GROUP).members.pop(MEMBER)
    fake_api.join_request(MEMBER, GROUP, parent_link)
    await fake_api.wait_for(lambda: len(fake_api.calls_of("approveChatJoinRequest")) == 1)
    assert fake_api.calls_of("approveChatJoinRequest")[0].params["chat_id"] == GROUP


async def test_members_who_joined_before_the_binding_get_the_link(harness, fake_api):
    _club_id, _code, link = await _bound(harness, fake_api)
    await harness.app.bot_data["outbox"].drain()
    told = await fake_api.wait_for_message(MEMBER, "появилась группа")
    assert link in told["text"] and "подайте заявку" in told["text"]
    assert not any("появилась группа" in m.get("text", "") for m in fake_api.sent_to(LEADER))

    # The card shows a member the way into the group; an outsider sees no link.
    catalogue = await say(fake_api, MEMBER, "/associations", "Объединения")
    card = await press(fake_api, MEMBER, catalogue, "ВМО учителей математики", "Тема:")
    assert f"Группа объединения: {link}" in card["text"]
    catalogue = await say(fake_api, OUTSIDER, "/associations", "Объединения")
    card = await press(fake_api, OUTSIDER, catalogue, "ВМО учителей математики", "Тема:")
    assert link not in card["text"]
