"""Tests of the fake Telegram Bot API server, driven through PTB's own ``telegram.Bot``."""

from __future__ import annotations

import asyncio
import datetime as dtm
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import telegram
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
)

from tests.fakebot import FakeBotApi, parse_html, utf16_len
from tests.fakebot.limits import PRIVATE_BURST
from tests.fakebot.spec import guess_decode

# PTB itself warns about RetryAfter.retry_after becoming a timedelta when it builds the error.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

USER = 1001
GROUP = -1001234567890


def _keyboard(*datas: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d)] for d in datas])


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    server.add_user(USER, first_name="Анна", username="anna")
    try:
        yield server
    finally:
        await server.stop()
    server.assert_clean()  # no spec violations by the bot, no off-spec answers by the fake


@pytest_asyncio.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        api.token, base_url=api.base_url, base_file_url=api.base_file_url
    ) as ptb_bot:
        yield ptb_bot


# --- basics -----------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_get_me(api: FakeBotApi, bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "vmo_test_bot", True)
    assert api.calls_of("getMe"), "PTB's initialize() calls getMe"


@pytest.mark.asyncio
async def test_wrong_token_is_unauthorized(api: FakeBotApi) -> None:
    with pytest.raises(telegram.error.InvalidToken):
        async with telegram.Bot("999:WRONG", base_url=api.base_url):
            pass


@pytest.mark.asyncio
async def test_html_message_is_parsed_and_recorded(api: FakeBotApi, bot: telegram.Bot) -> None:
    sent = await bot.send_message(USER, "<b>Заседание</b> &amp; 😀 <i>план</i>", parse_mode="HTML")
    assert sent.text == "Заседание & 😀 план"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 9),
        ("italic", 15, 4),  # the emoji counts as 2 UTF-16 units
    ]
    message = await api.wait_for_message(USER, contains="Заседание")
    assert message["message_id"] == sent.message_id
    assert api.last_message(USER) == message
    assert api.calls_of("sendMessage")[0].params["parse_mode"] == "HTML"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "text",
    ["<b>bold", "<b><i>x</b></i>", "a < b", "Q&A", "<div>x</div>", "<span>x</span>", "x</b>"],
)
async def test_bad_html_is_rejected(api: FakeBotApi, bot: telegram.Bot, text: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(USER, text, parse_mode="HTML")
    assert api.sent_to(USER) == []


@pytest.mark.asyncio
async def test_telegram_html_subset_is_accepted(bot: telegram.Bot) -> None:
    text = (
        "<strong>a</strong><em>b</em><ins>c</ins><s>d</s><del>e</del><tg-spoiler>f</tg-spoiler>"
        '<span class="tg-spoiler">g</span><a href="https://t.me/x">h</a><code>i</code>'
        '<pre><code class="language-python">j</code></pre><blockquote expandable>k</blockquote>'
        "&lt;&gt;&quot;&#39;&#x41;"
    )
    sent = await bot.send_message(USER, text, parse_mode="HTML")
    assert sent.text == "abcdefghijk<>\"'A"
    pre = [e for e in sent.entities if e.type == "pre"]
    assert pre and pre[0].language == "python"


@pytest.mark.asyncio
async def test_length_limits_count_utf16_after_parsing(api: FakeBotApi, bot: telegram.Bot) -> None:
    await bot.send_message(USER, "<b>" + "я" * 4096 + "</b>", parse_mode="HTML")  # tags are free
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(USER, "я" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(USER, "😀" * 2049)  # 2049 characters, 4098 UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)empty"):
        await bot.send_message(USER, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(USER, b"x", filename="a.txt", caption="я" * 1025)
    assert len(api.sent_to(USER)) == 1


@pytest.mark.asyncio
async def test_keyboard_checks(api: FakeBotApi, bot: telegram.Bot) -> None:
    await bot.send_message(USER, "ok", reply_markup=_keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "long", reply_markup=_keyboard("x" * 65))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "cyrillic", reply_markup=_keyboard("ы" * 33))  # 66 bytes
    url_button = InlineKeyboardMarkup([[InlineKeyboardButton("site", url="not a url")]])
    with pytest.raises(BadRequest, match=r"(?i)URL 'not a url' is invalid"):
        await bot.send_message(USER, "url", reply_markup=url_button)
    with pytest.raises(BadRequest, match=r"(?i)BUTTONS_TOO_MUCH"):
        await bot.send_message(USER, "many", reply_markup=_keyboard(*map(str, range(101))))
    assert [m["text"] for m in api.sent_to(USER)] == ["ok"]


# --- who the bot may write to -----------------------------------------------------------
@pytest.mark.asyncio
async def test_forbidden_and_unknown_chats(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.add_user(2002, started=False)
    api.add_user(3003)
    api.block(3003)
    with pytest.raises(Forbidden, match=r"(?i)can't initiate conversation"):
        await bot.send_message(2002, "hi")
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(3003, "hi")
    with pytest.raises(BadRequest, match=r"(?i)[Cc]hat not found"):
        await bot.send_message(4004, "hi")
    api.user_sends(2002, "/start")  # writing to the bot starts the conversation
    assert (await bot.send_message(2002, "welcome")).text == "welcome"


@pytest.mark.asyncio
async def test_chat_migration(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.add_chat(-555, "МО учителей", type="group")
    api.migrate_group(-555, GROUP)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-555, "hi")
    assert caught.value.new_chat_id == GROUP
    sent = await bot.send_message(GROUP, "hi")
    assert sent.chat.type == "supergroup"


# --- faults and flood control -----------------------------------------------------------
@pytest.mark.asyncio
async def test_injected_429(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.inject_error(method="sendMessage", chat_id=USER, code=429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "one")
    assert _seconds(caught.value) == 7
    await bot.send_message(USER, "two")  # count=1: the next call goes through
    assert [m["text"] for m in api.sent_to(USER)] == ["two"]
    assert api.stats["too_many_requests"] == 1


@pytest.mark.asyncio
async def test_network_faults(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.inject_error(method="sendMessage", drop_connection=True)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "dropped")
    api.inject_error(method="sendMessage", code=502)
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await bot.send_message(USER, "gateway")
    api.inject_error(method="sendMessage", code=500, after_effect=True)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "lost answer")
    assert [m["text"] for m in api.sent_to(USER)] == ["lost answer"]  # it was delivered anyway
    assert api.stats["injected_faults"] == 3


@pytest.mark.asyncio
async def test_flood_control() -> None:
    async with FakeBotApi(enforce_limits=True) as api:
        api.add_user(USER)
        api.add_chat(GROUP, "Группа")
        async with telegram.Bot(api.token, base_url=api.base_url) as bot:
            for i in range(PRIVATE_BURST):  # a short burst to one private chat is fine
                await bot.send_message(USER, f"m{i}")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(USER, "too fast")
            assert _seconds(caught.value) >= 1
            for i in range(20):
                await bot.send_message(GROUP, f"g{i}")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(GROUP, "21st in a minute")
            assert _seconds(caught.value) > 30
    assert api.stats["flood_limited"] == 2


# --- files ------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_documents_both_ways(api: FakeBotApi, bot: telegram.Bot) -> None:
    sent = await bot.send_document(USER, b"%PDF-1.4 plan", filename="план.pdf", caption="План")
    assert sent.document.file_name == "план.pdf"
    assert api.calls_of("sendDocument")[0].files["document"] == b"%PDF-1.4 plan"
    api.user_sends_document(USER, "отчёт.docx", b"PK\x03\x04report", "application/msword")
    updates = await bot.get_updates()
    document = updates[-1].message.document
    assert document.file_name == "отчёт.docx"
    file = await bot.get_file(document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"PK\x03\x04report"
    resent = await bot.send_document(USER, document.file_id)  # re-send by file_id
    assert resent.document.file_id == document.file_id
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.get_file("nonsense")


# --- updates ----------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_get_updates_confirmation(api: FakeBotApi, bot: telegram.Bot) -> None:
    first = api.user_sends(USER, "/start")
    api.user_sends(USER, "привет")
    batch = await bot.get_updates()
    assert [u.update_id for u in batch] == [first["update_id"], first["update_id"] + 1]
    assert batch[0].message.entities[0].type == "bot_command"
    again = await bot.get_updates()  # nothing confirmed yet: a crashed bot sees them again
    assert [u.update_id for u in again] == [u.update_id for u in batch]
    assert len(api.pending_updates) == 2
    assert await bot.get_updates(offset=batch[-1].update_id + 1) == ()
    assert api.pending_updates == []
    assert len(api.answered_updates) == 2


@pytest.mark.asyncio
async def test_long_poll_wakes_on_new_update(api: FakeBotApi, bot: telegram.Bot) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, api.user_sends, USER, "late")
    started = loop.time()
    updates = await bot.get_updates(timeout=5)
    assert [u.message.text for u in updates] == ["late"]
    assert loop.time() - started < 2


@pytest.mark.asyncio
async def test_allowed_updates_filter(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.add_chat(GROUP, "Группа")
    api.chat_member_update(GROUP, USER, "left", "member")
    assert await bot.get_updates() == ()  # chat_member is opt-in, as on Telegram
    assert len(api.updates.dropped) == 1
    api.chat_member_update(GROUP, USER, "member", "left")
    updates = await bot.get_updates(allowed_updates=["chat_member"])
    assert updates[0].chat_member.new_chat_member.status == "left"


@pytest.mark.asyncio
async def test_webhook_push(api: FakeBotApi, bot: telegram.Bot) -> None:
    received: list[tuple[str | None, dict]] = []

    async def receive(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        update = api.user_sends(USER, "по вебхуку")
        await api.wait_for(lambda: received)
        assert received == [("s3cret", update)]
        assert (await bot.get_webhook_info()).url.endswith("/hook")
        with pytest.raises(telegram.error.Conflict):
            await bot.get_updates()
    finally:
        await runner.cleanup()


# --- editing and buttons ----------------------------------------------------------------
@pytest.mark.asyncio
async def test_edits(api: FakeBotApi, bot: telegram.Bot) -> None:
    sent = await bot.send_message(USER, "Выберите", reply_markup=_keyboard("a"))
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Выберите", USER, sent.message_id, reply_markup=_keyboard("a"))
    edited = await bot.edit_message_text("Готово", USER, sent.message_id)
    assert edited.text == "Готово" and edited.reply_markup is None  # no markup: keyboard removed
    assert [m["text"] for m in api.sent_to(USER)] == ["Готово"]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    await bot.delete_message(USER, sent.message_id)
    assert api.sent_to(USER) == []


@pytest.mark.asyncio
async def test_callback_query_round_trip(api: FakeBotApi, bot: telegram.Bot) -> None:
    await bot.send_message(USER, "Голосуем?", reply_markup=_keyboard("yes", "no"))
    message = await api.wait_for_message(USER, "Голосуем")
    with pytest.raises(AssertionError, match=r"(?i)available: \['no', 'yes'\]"):
        api.user_presses(USER, message, "maybe")
    api.user_presses(USER, message, "yes")
    (update,) = await bot.get_updates()
    assert update.callback_query.data == "yes"
    assert update.callback_query.message.message_id == message["message_id"]
    await update.callback_query.answer("Принято")
    assert api.callback_answers[update.callback_query.id]["text"] == "Принято"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await update.callback_query.answer("twice")


# --- groups -----------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_group_admin_features(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.add_chat(GROUP, "МО математиков", is_forum=True, members={USER: "creator"})
    chat = await bot.get_chat(GROUP)
    assert (chat.title, chat.is_forum) == ("МО математиков", True)
    me = await bot.get_chat_member(GROUP, bot.id)
    assert me.status == "administrator" and me.can_invite_users
    assert {m.user.id for m in await bot.get_chat_administrators(GROUP)} == {USER, bot.id}
    link = await bot.create_chat_invite_link(GROUP, creates_join_request=True, name="МО")
    assert link.creates_join_request and link.invite_link.startswith("https://t.me/+")
    api.add_user(5005, "Борис")
    api.join_request(5005, GROUP, link.invite_link)
    (update,) = await bot.get_updates()
    assert update.chat_join_request.invite_link.name == "МО"
    await bot.approve_chat_join_request(GROUP, 5005)
    assert (await bot.get_chat_member(GROUP, 5005)).status == "member"
    with pytest.raises(BadRequest):
        await bot.approve_chat_join_request(GROUP, 5005)  # already handled
    topic = await bot.create_forum_topic(GROUP, "Олимпиады")
    sent = await bot.send_message(GROUP, "В теме", message_thread_id=topic.message_thread_id)
    assert sent.message_thread_id == topic.message_thread_id
    with pytest.raises(BadRequest, match=r"(?i)thread not found"):
        await bot.send_message(GROUP, "x", message_thread_id=987654)


@pytest.mark.asyncio
async def test_bot_without_rights(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.add_chat(GROUP, "Группа", bot_is_admin=False)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await bot.create_chat_invite_link(GROUP)
    api.my_chat_member_update(GROUP, "kicked", by_user_id=USER)
    with pytest.raises(Forbidden, match=r"(?i)kicked"):
        await bot.send_message(GROUP, "hi")


@pytest.mark.asyncio
async def test_commands_per_scope(api: FakeBotApi, bot: telegram.Bot) -> None:
    await bot.set_my_commands([("start", "Начать")])
    scope = telegram.BotCommandScopeChat(GROUP)
    api.add_chat(GROUP, "Группа")
    await bot.set_my_commands([("report", "Отчёт")], scope=scope, language_code="ru")
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    assert [c.command for c in await bot.get_my_commands(scope, "ru")] == ["report"]
    assert api.commands({"type": "chat", "chat_id": GROUP}, "ru")[0]["description"] == "Отчёт"
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Bad-Name", "x")])


# --- spec checks ------------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_spec_violation_is_recorded(api: FakeBotApi, bot: telegram.Bot) -> None:
    if api.spec is None:
        pytest.skip("Bot API spec not available")
    with pytest.raises(BadRequest, match=r"(?i)unknown parameter 'bogus'"):
        await bot.do_api_request(
            "sendMessage", api_kwargs={"chat_id": USER, "text": "x", "bogus": 1}
        )
    with pytest.raises(BadRequest, match=r"(?i)'text' is required"):
        await bot.do_api_request("sendMessage", api_kwargs={"chat_id": USER})
    with pytest.raises(BadRequest, match=r"(?i)must be Integer"):
        await bot.do_api_request("getChatMember", api_kwargs={"chat_id": USER, "user_id": "abc"})
    assert [v.method for v in api.violations] == ["sendMessage", "sendMessage", "getChatMember"]
    with pytest.raises(AssertionError, match="unknown parameter 'bogus'"):
        api.assert_clean()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": USER})
    assert api.sent_to(USER) == []
    api.violations.clear()  # expected here; the fixture fails tests on violations


@pytest.mark.asyncio
async def test_other_spec_methods_are_accepted(api: FakeBotApi, bot: telegram.Bot) -> None:
    assert await bot.set_my_description("Бот МО") is True
    assert not api.violations


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_without_spec_file_checks_are_skipped(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match=r"(?i)spec not found"):
        api = FakeBotApi(spec_path=tmp_path / "missing.json")
    async with api:
        api.add_user(USER)
        async with telegram.Bot(api.token, base_url=api.base_url) as bot:
            sent = await bot.send_message(USER, "123")
            await bot.do_api_request(
                "sendMessage", api_kwargs={"chat_id": USER, "text": "x", "bogus": 1}
            )
    assert sent.text == "123"
    assert api.violations == []


# --- waiting helpers and pure functions -------------------------------------------------
@pytest.mark.asyncio
async def test_wait_for_message_only_sees_new_messages(api: FakeBotApi, bot: telegram.Bot) -> None:
    await bot.send_message(USER, "старое")
    api.mark(USER)
    with pytest.raises(AssertionError, match=r"(?i)sendMessage"):  # the dump lists recent calls
        await api.wait_for_message(USER, "старое", timeout=0.1)
    asyncio.get_running_loop().call_later(
        0.05, asyncio.ensure_future, bot.send_message(USER, "новое")
    )
    assert (await api.wait_for_message(USER, timeout=2))["text"] == "новое"


def test_parse_html_and_utf16() -> None:
    assert utf16_len("a😀я") == 4
    text, entities = parse_html('<a href="https://x.ru">ссылка</a> &#128512;')
    assert text == "ссылка 😀"
    assert entities == [{"type": "text_link", "url": "https://x.ru", "offset": 0, "length": 6}]


# --- a whole PTB Application ------------------------------------------------------------
@pytest.mark.asyncio
async def test_ptb_application_polls_and_replies(api: FakeBotApi) -> None:
    from telegram.ext import Application, CallbackQueryHandler, CommandHandler

    async def start(update: telegram.Update, context: object) -> None:
        assert update.message is not None
        await update.message.reply_html("<b>Здравствуйте!</b>", reply_markup=_keyboard("menu"))

    async def press(update: telegram.Update, context: object) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text("Меню")

    app = (
        Application.builder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(press))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        api.user_sends(USER, "/start@vmo_test_bot")
        greeting = await api.wait_for_message(USER, "Здравствуйте")
        api.user_presses(USER, greeting, "menu")
        await api.wait_for(lambda: api.sent_to(USER)[0]["text"] == "Меню")
        await app.updater.stop()
        await app.stop()
    assert api.pending_updates == []  # PTB confirmed everything on shutdown
    assert api.calls_of("deleteWebhook"), "start_polling deletes the webhook first"
    assert not api.violations


@pytest.mark.asyncio
async def test_many_methods_answer_spec_valid_objects(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.add_user(5005, "Борис")
    api.add_chat(GROUP, "Группа", members={5005: "member"})
    await bot.send_chat_action(USER, "typing")
    photo = await bot.send_photo(USER, b"\x89PNG fake", caption="<i>фото</i>", parse_mode="HTML")
    assert photo.caption == "фото" and photo.photo[0].file_size == 9
    captioned = await bot.edit_message_caption(USER, photo.message_id, caption="новая")
    assert captioned.caption == "новая"
    with_kb = await bot.edit_message_reply_markup(
        USER, photo.message_id, reply_markup=_keyboard("k")
    )
    assert with_kb.reply_markup.inline_keyboard[0][0].callback_data == "k"
    copy = await bot.copy_message(GROUP, USER, photo.message_id)
    forwarded = await bot.forward_message(GROUP, USER, photo.message_id)
    assert forwarded.forward_origin.type == "user"
    assert [m["message_id"] for m in api.sent_to(GROUP)] == [copy.message_id, forwarded.message_id]
    poll = await bot.send_poll(GROUP, "Когда заседание?", ["Пн", "Ср"], is_anonymous=False)
    assert (await bot.stop_poll(GROUP, poll.message_id)).is_closed
    await bot.pin_chat_message(GROUP, poll.message_id)
    assert (await bot.get_chat(GROUP)).pinned_message.message_id == poll.message_id
    await bot.unpin_chat_message(GROUP)
    link = await bot.create_chat_invite_link(GROUP, member_limit=5)
    edited = await bot.edit_chat_invite_link(GROUP, link.invite_link, name="новая")
    assert edited.name == "новая" and edited.member_limit is None
    assert (await bot.revoke_chat_invite_link(GROUP, link.invite_link)).is_revoked
    assert (await bot.export_chat_invite_link(GROUP)).startswith("https://t.me/+")
    assert await bot.get_chat_member_count(GROUP) == 2
    await bot.restrict_chat_member(GROUP, 5005, telegram.ChatPermissions(can_send_messages=False))
    assert (await bot.get_chat_member(GROUP, 5005)).status == "restricted"
    await bot.ban_chat_member(GROUP, 5005)
    assert (await bot.get_chat_member(GROUP, 5005)).status == "kicked"
    await bot.unban_chat_member(GROUP, 5005, only_if_banned=True)
    assert (await bot.get_chat_member(GROUP, 5005)).status == "left"
    await bot.set_message_reaction(GROUP, poll.message_id, "👍")
    await bot.set_chat_menu_button(USER, telegram.MenuButtonCommands())
    assert (await bot.get_chat_menu_button(USER)).type == "commands"
    await bot.delete_messages(GROUP, [copy.message_id, forwarded.message_id])
    assert [m["message_id"] for m in api.sent_to(GROUP)] == [poll.message_id]
    assert await bot.leave_chat(GROUP)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(GROUP, "после выхода")
    assert not api.violations


@pytest.mark.asyncio
async def test_wait_for_message_sees_edits_only_when_looking_for_text(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    summary = await bot.send_message(USER, "Проверьте данные", reply_markup=_keyboard("save"))
    assert (await api.wait_for_message(USER))["message_id"] == summary.message_id
    await bot.edit_message_text("🎉 Готово", USER, summary.message_id)
    with pytest.raises(AssertionError):
        await api.wait_for_message(USER, timeout=0.1)  # an edit is not a new message ...
    found = await api.wait_for_message(USER, "🎉", timeout=1)  # ... but it shows the text
    assert found["message_id"] == summary.message_id and found["text"] == "🎉 Готово"
    with pytest.raises(AssertionError):
        await api.wait_for_message(USER, "🎉", timeout=0.1)  # consumed


def test_without_the_spec_string_ids_stay_strings() -> None:
    # Where api.json is absent the form values are guessed: a callback query's id looks
    # like a number but is a string, so answering it still finds the query.
    assert guess_decode("callback_query_id", "4000000000001") == "4000000000001"
    assert guess_decode("chat_id", "-100123") == -100123
    assert guess_decode("offset", "7") == 7
