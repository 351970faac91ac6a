"""The resource bank's uploads and review at the service level: the form's rules, where one
may publish, who reviews what (never their own), a decision taken once, a corrected
material keeping its archived files, the daily digest once a local day, /forget."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

import pytest
from sqlalchemy import func, select

from bot.notices import NoticeRenderer
from models import Association, MemberRole, NetworkRole, OutboxMessage, User
from models.resources import FileKind, Material, MaterialFile, MaterialKind, MaterialStatus
from services import privacy
from services.access import Actor
from services.clock import set_clock
from services.errors import NotFound
from services.resources import drafts, review, submission
from services.resources.access import pending_count, review_scope
from services.resources.drafts import DraftFile, MaterialDraft
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
LIMIT = 50


def _file(n: int = 1, size: int | None = 1000) -> DraftFile:
    return DraftFile(
        FileKind.DOCUMENT, f"BQAC{n}", f"AgAD{n}", f"file{n}.pdf", "application/pdf", size
    )


def _draft(association_id: int | None, **changes: object) -> MaterialDraft:
    values: dict[str, object] = {
        "files": (_file(),),
        "title": "Карточки по дробям",
        "kind": MaterialKind.DIDACTIC,
        "association_id": association_id,
        "network": association_id is None,
    }
    values.update(changes)
    return MaterialDraft(**values)  # type: ignore[arg-type]


class World(NamedTuple):
    leader: User
    association: Association
    author: User
    expert: User
    methodist: User


async def _setup(session) -> World:  # type: ignore[no-untyped-def]
    set_clock(lambda: NOW)
    leader = await make_teacher(session, 780_001, full_name="Иванова Анна Петровна")
    association = await make_association(session, leader=leader)
    author = await make_teacher(session, 780_002, full_name="Петров Иван Сергеевич")
    expert = await make_teacher(session, 780_003, full_name="Сидорова Мария Ивановна")
    await add_member(session, association, author)
    await add_member(session, association, expert, role=MemberRole.EXPERT)
    methodist = await make_teacher(session, 780_004, roles=(NetworkRole.METHODIST,))
    return World(leader, association, author, expert, methodist)


async def _outbox(session, telegram_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    await NoticeRenderer("ru").deliver(session)
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.chat_id == telegram_id).order_by(OutboxMessage.id)
    )
    return [row.payload.get("text", "") for row in rows]


def test_the_fields_rules() -> None:
    assert drafts.parse_grades("5") == (5, 5)
    assert drafts.parse_grades("5 – 7 классы") == (5, 7)
    assert drafts.parse_grades("7 до 9") == (7, 9)
    for wrong in ("0", "12", "9-7", "пятый", "5-"):
        with pytest.raises(drafts.BadGrades):
            drafts.parse_grades(wrong)
    assert drafts.parse_tags("Дроби, #ОГЭ;  5   класс\nдроби") == ("дроби", "огэ", "5 класс")
    with pytest.raises(drafts.TooManyTags):
        drafts.parse_tags(",".join(str(n) for n in range(11)))
    with pytest.raises(drafts.TagTooLong):
        drafts.parse_tags("я" * 41)
    assert (
        drafts.clean_url(" https://resh.edu.ru/subject/12/ ") == "https://resh.edu.ru/subject/12/"
    )
    for wrong in (
        "resh.edu.ru",
        "ftp://x.ru/a",
        "https://localhost",
        "https://a b.ru",
        "javascript:alert(1)",
    ):
        with pytest.raises(drafts.NotALink):
            drafts.clean_url(wrong)
    with pytest.raises(drafts.EmptyTitle):
        drafts.clean_title("   ")
    assert drafts.clean_subject("math") == "math" and drafts.clean_subject(" ОРКСЭ ") == "ОРКСЭ"


def test_files_limits() -> None:
    files: tuple[DraftFile, ...] = ()
    for n in range(drafts.MAX_FILES):
        files = drafts.with_file(files, _file(n), limit_mb=LIMIT)
    with pytest.raises(drafts.TooManyFiles):
        drafts.with_file(files, _file(99), limit_mb=LIMIT)
    with pytest.raises(drafts.SameFileTwice):
        drafts.with_file(files[:2], _file(1), limit_mb=LIMIT)
    with pytest.raises(drafts.FileTooBig) as error:
        drafts.with_file((), _file(7, size=LIMIT * drafts.MEGABYTE + 1), limit_mb=LIMIT)
    assert error.value.params == {"size": 51, "limit": 50}
    drafts.with_file((), _file(8, size=None), limit_mb=LIMIT)  # size unknown: accepted


def test_a_draft_survives_its_json_and_is_checked_whole() -> None:
    draft = _draft(7, grades=(5, 6), tags=("дроби",), url="https://a.ru", subject="math")
    assert MaterialDraft.from_data(draft.as_data()) == draft
    network = _draft(None)
    assert MaterialDraft.from_data(network.as_data()) == network and network.has_target
    with pytest.raises(drafts.NothingAttached):
        drafts.checked(_draft(7, files=()), limit_mb=LIMIT)
    with pytest.raises(drafts.Incomplete):
        drafts.checked(_draft(7, kind=None), limit_mb=LIMIT)
    with pytest.raises(drafts.Incomplete):
        drafts.checked(_draft(None, network=False), limit_mb=LIMIT)
    with pytest.raises(drafts.LinkNeeded):
        drafts.checked(_draft(7, kind=MaterialKind.TEACHER_PAGE), limit_mb=LIMIT)
    with pytest.raises(drafts.ExperienceMissing):
        drafts.checked(
            _draft(7, kind=MaterialKind.DIGITAL, url="https://code.org", description="Удобно"),
            limit_mb=LIMIT,
        )
    assert drafts.checked(_draft(7, title="  Карточки   по дробям "), limit_mb=LIMIT).title == (
        "Карточки по дробям"
    )


async def test_where_one_may_publish(session) -> None:  # type: ignore[no-untyped-def]
    w = await _setup(session)
    outsider = await make_teacher(session, 780_009)
    assert await submission.targets(session, Actor(outsider.telegram_id)) == []
    with pytest.raises(submission.NoPlaceToShare):
        await submission.require_targets(session, Actor(outsider.telegram_id))
    with pytest.raises(submission.NotAMemberThere):
        await submission.submit(
            session, Actor(outsider.telegram_id), draft=_draft(w.association.id), limit_mb=LIMIT
        )
    with pytest.raises(submission.NetworkForMethodists):
        await submission.submit(
            session, Actor(w.author.telegram_id), draft=_draft(None), limit_mb=LIMIT
        )
    places = await submission.targets(session, Actor(w.methodist.telegram_id))
    assert places == [submission.Target(None, None)]  # the network; no w.association of theirs
    view = await submission.submit(
        session, Actor(w.methodist.telegram_id), draft=_draft(None), limit_mb=LIMIT
    )
    assert view.association is None and view.status is MaterialStatus.PENDING


async def test_reviewers_see_others_materials_only_and_are_told_once(session) -> None:  # type: ignore[no-untyped-def]
    w = await _setup(session)
    await add_member(
        session,
        await make_association(session, name="ВМО физиков"),
        w.expert,
        role=MemberRole.EXPERT,
    )
    await submission.submit(
        session, Actor(w.author.telegram_id), draft=_draft(w.association.id), limit_mb=LIMIT
    )
    own = await submission.submit(
        session,
        Actor(w.expert.telegram_id),
        draft=_draft(w.association.id, title="Моё"),
        limit_mb=LIMIT,
    )
    for person, expected in ((w.leader, 2), (w.expert, 1), (w.methodist, 2), (w.author, 0)):
        scope = await review_scope(session, person)
        assert await pending_count(session, scope) == expected, person.full_name
    assert [v.title for v in (await review.queue(session, Actor(w.expert.telegram_id))).items] == [
        "Карточки по дробям"
    ]
    with pytest.raises(review.OwnMaterial):
        await review.decide(
            session,
            Actor(w.expert.telegram_id),
            material_id=own.material_id,
            decision=MaterialStatus.APPROVED,
        )
    with pytest.raises(review.NotAReviewer):
        await review.queue(session, Actor(w.author.telegram_id))
    leader_told = [t for t in await _outbox(session, w.leader.telegram_id) if "ждёт проверки" in t]
    expert_told = [t for t in await _outbox(session, w.expert.telegram_id) if "ждёт проверки" in t]
    assert len(leader_told) == 2 and len(expert_told) == 1  # not of their own
    assert await _outbox(session, w.methodist.telegram_id) == []  # the w.association has reviewers


async def test_a_decision_is_taken_once_and_recorded(session) -> None:  # type: ignore[no-untyped-def]
    w = await _setup(session)
    view = await submission.submit(
        session, Actor(w.author.telegram_id), draft=_draft(w.association.id), limit_mb=LIMIT
    )
    with pytest.raises(review.BadComment):
        await review.decide(
            session,
            Actor(w.leader.telegram_id),
            material_id=view.material_id,
            decision=MaterialStatus.REJECTED,
            comment="no",
        )
    decided = await review.decide(
        session,
        Actor(w.leader.telegram_id),
        material_id=view.material_id,
        decision=MaterialStatus.NEEDS_REVISION,
        comment="Добавьте ответы",
    )
    assert decided.status is MaterialStatus.NEEDS_REVISION and decided.comment == "Добавьте ответы"
    with pytest.raises(review.AlreadyDecided) as error:
        await review.decide(
            session,
            Actor(w.expert.telegram_id),
            material_id=view.material_id,
            decision=MaterialStatus.APPROVED,
        )
    assert str(error.value.params["outcome"]) == "it is sent back for revision"
    told = await _outbox(session, w.author.telegram_id)
    assert any("нужно доработать" in text and "Добавьте ответы" in text for text in told)


async def test_a_correction_keeps_the_archived_files_it_keeps(session) -> None:  # type: ignore[no-untyped-def]
    w = await _setup(session)
    actor = Actor(w.author.telegram_id)
    view = await submission.submit(
        session, actor, draft=_draft(w.association.id, files=(_file(1), _file(2))), limit_mb=LIMIT
    )
    kept = await session.scalar(select(MaterialFile).where(MaterialFile.file_unique_id == "AgAD1"))
    kept.archived_path = f"{view.material_id}/01-file1.pdf"
    await review.decide(
        session,
        Actor(w.expert.telegram_id),
        material_id=view.material_id,
        decision=MaterialStatus.NEEDS_REVISION,
        comment="Замените второй файл",
    )
    with pytest.raises(NotFound):  # somebody else's material
        await submission.correction_of(session, Actor(w.leader.telegram_id), view.material_id)
    corrected = (await submission.correction_of(session, actor, view.material_id)).draft
    files = [_file(3).as_data(), _file(1).as_data()]  # the second replaced, the first kept
    changed = MaterialDraft.from_data({**corrected.as_data(), "files": files})
    again = await submission.resubmit(
        session, actor, material_id=view.material_id, draft=changed, limit_mb=LIMIT
    )
    assert again.status is MaterialStatus.PENDING
    rows = (
        await session.scalars(
            select(MaterialFile)
            .where(MaterialFile.material_id == view.material_id)
            .order_by(MaterialFile.position)
        )
    ).all()
    assert [(r.file_unique_id, r.archived_path) for r in rows] == [
        ("AgAD3", None),
        ("AgAD1", f"{view.material_id}/01-file1.pdf"),
    ]
    with pytest.raises(submission.NotCorrectable):
        await submission.resubmit(
            session, actor, material_id=view.material_id, draft=corrected, limit_mb=LIMIT
        )
    withdrawn = await submission.withdraw(session, actor, view.material_id)
    assert withdrawn.status is MaterialStatus.WITHDRAWN
    with pytest.raises(submission.NotWithdrawable):
        await submission.withdraw(session, actor, view.material_id)


async def test_the_digest_goes_once_a_local_day(session) -> None:  # type: ignore[no-untyped-def]
    w = await _setup(session)
    assert await review.tell_queue_digests(session, default_timezone="Europe/Moscow") == 0
    await submission.submit(
        session, Actor(w.author.telegram_id), draft=_draft(w.association.id), limit_mb=LIMIT
    )
    w.expert.timezone = "Asia/Vladivostok"  # 17:00 there: still within the day's hours
    w.leader.timezone = "America/New_York"  # 02:00 there: not yet
    told = await review.tell_queue_digests(session, default_timezone="Europe/Moscow")
    assert told == 2  # the w.expert and the w.methodist; the w.author is not a reviewer
    again = await review.tell_queue_digests(session, default_timezone="Europe/Moscow")
    assert again == 2
    await NoticeRenderer("ru").deliver(session)
    digests = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.dedupe_key.like("matq:%"))
    )
    assert digests == 2  # a second run the same day adds nothing
    assert review.digest_day(NOW, "America/New_York") is None
    assert review.digest_day(NOW, "Europe/Moscow") == "2026-12-01"


async def test_forget_erases_unpublished_materials_and_keeps_the_bank(session) -> None:  # type: ignore[no-untyped-def]
    w = await _setup(session)
    actor = Actor(w.author.telegram_id)
    published = await submission.submit(
        session, actor, draft=_draft(w.association.id), limit_mb=LIMIT
    )
    await review.decide(
        session,
        Actor(w.leader.telegram_id),
        material_id=published.material_id,
        decision=MaterialStatus.APPROVED,
    )
    await submission.submit(
        session, actor, draft=_draft(w.association.id, title="Черновик"), limit_mb=LIMIT
    )
    exported = await privacy.export_personal_data(session, actor=actor)
    assert sorted(m["title"] for m in exported["records"]["materials"]) == [
        "Карточки по дробям",
        "Черновик",
    ]
    await NoticeRenderer("ru").deliver(session)
    await privacy.forget(session, actor=actor)
    titles = (await session.scalars(select(Material.title))).all()
    assert titles == ["Карточки по дробям"]
    files = await session.scalar(select(func.count()).select_from(MaterialFile))
    assert files == 1  # the draft's file went with it
