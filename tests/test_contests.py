"""Contests at the service level: announcing, the submission window, replacing, the jury's
queue without conflicts, scoring within the maxima, ties, votes, diplomas and their
verification, the sweeps, /forget, the activity count and the PDFs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from bot.notices import NoticeRenderer
from models import OutboxMessage
from models.contests import (
    ContestCriterion,
    ContestDiploma,
    ContestEntry,
    ContestNomination,
    ContestScore,
    ContestStatus,
    ContestVote,
    DiplomaKind,
)
from services import activity, privacy
from services.access import Actor
from services.clock import set_clock
from services.contests import announcing, diplomas, entries, judging, results, sweeps
from services.contests.common import NotForYou, NotOpenYet, NotTheOrganiser, SubmissionsClosed
from services.errors import PermissionDenied
from services.notices import take_pending
from services.verification import verify
from tests.factories import add_member, make_association, make_teacher

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
JUDGING = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
SCHOOL_5, SCHOOL_7, SCHOOL_9 = "МБОУ «СОШ № 5»", "МБОУ «СОШ № 7»", "МБОУ «Лицей № 9»"


def _at(moment: datetime) -> None:
    set_clock(lambda: moment)


async def _world(session):  # type: ignore[no-untyped-def]
    _at(NOW)
    leader = await make_teacher(session, 770_001, full_name="Иванова Анна Петровна")
    association = await make_association(session, leader=leader, chat_id=-100_770)
    people = {}
    for telegram_id, key, name, school in (
        (770_002, "anna", "Петрова Анна Сергеевна", SCHOOL_5),
        (770_003, "boris", "Смирнов Борис Олегович", SCHOOL_7),
        (770_004, "vera", "Кузнецова Вера Ивановна", SCHOOL_9),
        (770_005, "judge5", "Орлова Галина Петровна", "мбоу  «сош № 5» "),
        (770_006, "judge9", "Попов Дмитрий Ильич", "Гимназия № 1"),
    ):
        people[key] = await make_teacher(session, telegram_id, full_name=name, organisation=school)
        await add_member(session, association, people[key])
    people["outsider"] = await make_teacher(session, 770_007, full_name="Чужой Олег Олегович")
    return leader, association, people


def _draft(jurors, **overrides) -> announcing.ContestDraft:  # type: ignore[no-untyped-def]
    values = dict(
        title="Педагогический дебют",
        rules="Конкурс методических разработок молодых учителей.",
        nominations=("Лучший урок", "Проект"),
        criteria=(
            announcing.CriterionDraft("Оригинальность", 10),
            announcing.CriterionDraft("Оформление", 5),
        ),
        opens_on=date(2026, 12, 1),
        closes_on=date(2026, 12, 10),
        judging_until=date(2026, 12, 15),
        results_on=date(2026, 12, 16),
        jurors=tuple(jurors),
        audience_vote=True,
    )
    values.update(overrides)
    return announcing.ContestDraft(**values)  # type: ignore[arg-type]


async def _contest(session, leader, association, people, **overrides):  # type: ignore[no-untyped-def]
    contest = await announcing.announce(
        session,
        Actor(leader.telegram_id),
        association_id=association.id,
        draft=_draft([people["judge5"].id, people["judge9"].id], **overrides),
    )
    take_pending(session)
    nominations = (
        await session.scalars(
            select(ContestNomination.id)
            .where(ContestNomination.contest_id == contest.id)
            .order_by(ContestNomination.position)
        )
    ).all()
    criteria = (
        await session.scalars(
            select(ContestCriterion.id)
            .where(ContestCriterion.contest_id == contest.id)
            .order_by(ContestCriterion.position)
        )
    ).all()
    return contest, list(nominations), list(criteria)


def _work(nomination_id: int, title: str = "Урок-исследование") -> entries.EntryDraft:
    return entries.EntryDraft(
        nomination_id=nomination_id,
        title=title,
        annotation="Разработка урока с исследовательскими заданиями.",
        files=(entries.WorkFile("FILE-1", "урок.pdf"),),
    )


def test_cleaning_the_organisers_answers() -> None:
    _at(NOW)
    assert announcing.clean_nominations("Лучший урок\n\n- Проект\nлучший урок") == (
        "Лучший урок",
        "Проект",
    )
    assert announcing.clean_criteria("Оригинальность — 10\nОформление: 5 баллов") == (
        announcing.CriterionDraft("Оригинальность", 10),
        announcing.CriterionDraft("Оформление", 5),
    )
    with pytest.raises(announcing.BadCriteria):
        announcing.clean_criteria("Оригинальность")
    with pytest.raises(announcing.BadCriteria):
        announcing.clean_criteria("Оригинальность — 500")
    assert announcing.parse_day("10.12", "Europe/Moscow") == date(2026, 12, 10)
    with pytest.raises(announcing.DateTooEarly):
        announcing.parse_day("05.12", "Europe/Moscow", after=date(2026, 12, 10))
    with pytest.raises(announcing.DateInPast):
        announcing.parse_day("20.11.2026", "Europe/Moscow")


async def test_announcing_needs_the_leader_and_tells_jury_and_group(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, people = await _world(session)
    with pytest.raises(PermissionDenied):
        await announcing.announce(
            session,
            Actor(people["anna"].telegram_id),
            association_id=association.id,
            draft=_draft([people["judge5"].id]),
        )
    contest = await announcing.announce(
        session,
        Actor(leader.telegram_id),
        association_id=association.id,
        draft=_draft([people["judge5"].id, people["judge9"].id, people["outsider"].id]),
    )
    told = take_pending(session)
    assert contest.status is ContestStatus.OPEN  # opens today
    kinds = sorted((n.kind, n.user.id if n.user else n.chat_id) for n in told)
    assert kinds == sorted(
        [
            ("contests.jury", people["judge5"].id),
            ("contests.jury", people["judge9"].id),  # the outsider is not a member: dropped
            ("contests.announced", -100_770),
        ]
    )
    with pytest.raises(announcing.DateTooEarly):
        await announcing.announce(
            session,
            Actor(leader.telegram_id),
            association_id=association.id,
            draft=_draft([people["judge5"].id], closes_on=date(2026, 12, 20)),
        )


async def test_the_submission_window_and_replacing(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, people = await _world(session)
    contest, nominations, _ = await _contest(
        session, leader, association, people, opens_on=date(2026, 12, 3)
    )
    anna = Actor(people["anna"].telegram_id)
    assert [c.accepting for c in await entries.open_contests(session, anna)] == [False]
    with pytest.raises(NotOpenYet):
        await entries.submit(session, anna, contest_id=contest.id, draft=_work(nominations[0]))
    _at(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    with pytest.raises(NotForYou):
        await entries.submit(
            session,
            Actor(people["outsider"].telegram_id),
            contest_id=contest.id,
            draft=_work(nominations[0]),
        )
    with pytest.raises(entries.NoWork):
        await entries.submit(
            session,
            anna,
            contest_id=contest.id,
            draft=entries.EntryDraft(nominations[0], "Урок", "Аннотация к уроку."),
        )
    view, replaced = await entries.submit(
        session, anna, contest_id=contest.id, draft=_work(nominations[0])
    )
    assert not replaced and view.files[0].file_name == "урок.pdf"
    linked = entries.EntryDraft(
        nominations[0],
        "Урок-исследование 2.0",
        "Новая редакция урока.",
        link="https://disk.example.ru/u",
    )
    view, replaced = await entries.submit(session, anna, contest_id=contest.id, draft=linked)
    assert replaced and view.replaced and view.files == () and view.link.endswith("/u")
    count = await session.scalar(select(func.count()).select_from(ContestEntry))
    assert count == 1
    assert [(c.contest_id, c.accepting) for c in await entries.open_contests(session, anna)] == [
        (contest.id, True)  # by the dates, though the opening sweep has not run
    ]
    _at(datetime(2026, 12, 10, 20, 59, tzinfo=UTC))  # 23:59 in Moscow: the last day
    await entries.submit(session, anna, contest_id=contest.id, draft=_work(nominations[1]))
    _at(datetime(2026, 12, 10, 21, 1, tzinfo=UTC))  # 00:01 on the 11th in Moscow
    with pytest.raises(SubmissionsClosed):
        await entries.submit(session, anna, contest_id=contest.id, draft=_work(nominations[0]))
    assert await entries.open_contests(session, anna) == []


async def _three_entries(session, leader, association, people):  # type: ignore[no-untyped-def]
    contest, nominations, criteria = await _contest(session, leader, association, people)
    ids = {}
    for key in ("anna", "boris", "vera"):
        view, _ = await entries.submit(
            session,
            Actor(people[key].telegram_id),
            contest_id=contest.id,
            draft=_work(nominations[0], f"Работа {key}"),
        )
        ids[key] = view.entry_id
    return contest, nominations, criteria, ids


async def test_the_jury_queue_excludes_conflicts_and_scores_are_checked(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, people = await _world(session)
    contest, _, criteria, ids = await _three_entries(session, leader, association, people)
    judge5, judge9 = Actor(people["judge5"].telegram_id), Actor(people["judge9"].telegram_id)
    with pytest.raises(judging.NotJudgingNow):
        await judging.scorable(session, judge9, ids["anna"])
    _at(JUDGING)
    left, done = await judging.queue(session, judge5, contest.id)
    assert left == [ids["boris"], ids["vera"]] and done == 0  # Anna is from the same school
    with pytest.raises(judging.Conflict):
        await judging.score(
            session, judge5, entry_id=ids["anna"], values={criteria[0]: 5, criteria[1]: 5}
        )
    with pytest.raises(judging.ScoreOutOfRange):
        await judging.score(
            session, judge9, entry_id=ids["anna"], values={criteria[0]: 11, criteria[1]: 5}
        )
    with pytest.raises(judging.MissingScores):
        await judging.score(session, judge9, entry_id=ids["anna"], values={criteria[0]: 5})
    with pytest.raises(judging.NotAJuror):
        await judging.queue(session, Actor(people["boris"].telegram_id), contest.id)
    assert judging.parse_score("7", 10) == 7
    with pytest.raises(judging.ScoreOutOfRange):
        judging.parse_score("7.5", 10)
    total = await judging.score(
        session,
        judge9,
        entry_id=ids["anna"],
        values={criteria[0]: 9, criteria[1]: 4},
        comment="Сильная работа",
    )
    assert total == 13
    await judging.score(  # corrected: still one sheet
        session, judge9, entry_id=ids["anna"], values={criteria[0]: 8, criteria[1]: 4}
    )
    assert await session.scalar(select(func.count()).select_from(ContestScore)) == 2
    left, done = await judging.queue(session, judge9, contest.id)
    assert left == [ids["boris"], ids["vera"]] and done == 1
    progress = await judging.progress(session, Actor(leader.telegram_id), contest.id)
    assert progress.entries == 3 and progress.judged == 1
    assert {(j.name, j.scored, j.assigned) for j in progress.jurors} == {
        ("Орлова Г. П.", 0, 2),
        ("Попов Д. И.", 1, 3),
    }
    with pytest.raises(NotTheOrganiser):
        await judging.progress(session, judge9, contest.id)


def test_places_share_ties() -> None:
    d = Decimal
    assert results.places([d(10), d(10), d(8), d(7), d(7), None]) == [1, 1, 3, 4, 4, None]


async def test_ties_publishing_diplomas_and_verification(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, people = await _world(session)
    contest, _, (c1, c2), ids = await _three_entries(session, leader, association, people)
    judge5, judge9 = Actor(people["judge5"].telegram_id), Actor(people["judge9"].telegram_id)
    with pytest.raises(results.TooEarly):
        await results.publish(session, Actor(leader.telegram_id), contest.id)
    _at(JUDGING)
    with pytest.raises(results.NothingJudged):
        await results.publish(session, Actor(leader.telegram_id), contest.id)
    # Anna: judge9 alone, 12. Boris: (10 + 14) / 2 = 12. Vera: (9 + 8) / 2 = 8.5
    await judging.score(session, judge9, entry_id=ids["anna"], values={c1: 8, c2: 4})
    await judging.score(session, judge5, entry_id=ids["boris"], values={c1: 6, c2: 4})
    await judging.score(session, judge9, entry_id=ids["boris"], values={c1: 10, c2: 4})
    await judging.score(session, judge5, entry_id=ids["vera"], values={c1: 5, c2: 4})
    await judging.score(session, judge9, entry_id=ids["vera"], values={c1: 5, c2: 3})
    with pytest.raises(NotTheOrganiser):
        await results.publish(session, Actor(people["anna"].telegram_id), contest.id)
    vera = Actor(people["vera"].telegram_id)
    with pytest.raises(results.NotPublishedYet):
        await results.feedback(session, vera, ids["vera"])
    found = await results.publish(session, Actor(leader.telegram_id), contest.id)
    with pytest.raises(entries.NotYourEntry):
        await results.feedback(session, vera, ids["anna"])
    judged = await results.feedback(session, vera, ids["vera"])
    assert (judged.place, judged.result) == (3, Decimal("8.50"))
    assert judged.criteria == (
        ("Оригинальность", 10, Decimal("5.00")),
        ("Оформление", 5, Decimal("3.50")),
    )
    ranking = [(e.title, e.result, e.place) for e in found.nominations[0].entries]
    assert ranking == [
        ("Работа anna", Decimal("12.00"), 1),
        ("Работа boris", Decimal("12.00"), 1),
        ("Работа vera", Decimal("8.50"), 3),
    ]
    assert found.nominations[0].entries[1].by_criterion == (Decimal("8.00"), Decimal("4.00"))
    told = take_pending(session)
    assert ("contests.results", -100_770) in [(n.kind, n.chat_id) for n in told]
    placed = {n.user.id: n.params["entry"].place for n in told if n.kind == "contests.placed"}
    assert placed == {people["anna"].id: 1, people["boris"].id: 1, people["vera"].id: 3}
    rows = (await session.scalars(select(ContestDiploma).order_by(ContestDiploma.id))).all()
    assert [(r.kind, r.place) for r in rows] == [
        (DiplomaKind.WINNER, 1),
        (DiplomaKind.WINNER, 1),
        (DiplomaKind.PRIZE, 3),
    ]
    assert len({r.code for r in rows}) == 3
    checked = await verify(session, rows[2].code.lower())
    assert checked is not None and checked.kind == "diploma"
    assert checked.title == "Диплом III степени" and checked.full_name == "Кузнецова Вера Ивановна"
    assert await verify(session, "AAAAA-AAAAA") is None
    with pytest.raises(judging.AlreadyPublished):
        await results.publish(session, Actor(leader.telegram_id), contest.id)
    with pytest.raises(judging.AlreadyPublished):
        await judging.scorable(session, judge9, ids["vera"])

    link = lambda code: f"https://t.me/vmo_bot?start=verify_{code}"  # noqa: E731
    mine = await diplomas.my_diplomas(session, Actor(people["vera"].telegram_id))
    assert [(title, name) for _, title, name in mine] == [("Диплом III степени", contest.title)]
    with pytest.raises(diplomas.NotYourDiploma):
        await diplomas.diploma_document(
            session, Actor(people["anna"].telegram_id), mine[0][0], link_for=link
        )
    data = await diplomas.diploma_document(
        session, Actor(people["vera"].telegram_id), mine[0][0], link_for=link
    )
    from documents.contest_protocol import build_contest_protocol
    from documents.diploma import build_diploma, build_diplomas

    text = PdfReader(BytesIO(build_diploma(data))).pages[0].extract_text()
    for part in ("ДИПЛОМ", "III степени", "Кузнецова Вера Ивановна", "Работа vera", "Лучший урок"):
        assert part in text
    assert data.code in text and data.number in text
    every = await diplomas.all_diplomas(
        session, Actor(leader.telegram_id), contest.id, link_for=link
    )
    assert len(PdfReader(BytesIO(build_diplomas(every))).pages) == 3
    protocol = await diplomas.protocol_document(session, Actor(leader.telegram_id), contest.id)
    text = "".join(
        p.extract_text() for p in PdfReader(BytesIO(build_contest_protocol(protocol))).pages
    )
    for part in ("ПРОТОКОЛ", "Педагогический дебют", "Смирнов Борис Олегович", "12", "8,5"):
        assert part in text


async def test_audience_votes_one_per_member(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, people = await _world(session)
    contest, _, _, ids = await _three_entries(session, leader, association, people)
    anna, judge9 = Actor(people["anna"].telegram_id), Actor(people["judge9"].telegram_id)
    with pytest.raises(entries.VotingClosed):
        await entries.vote(session, judge9, contest_id=contest.id, entry_id=ids["anna"])
    _at(JUDGING)
    offered, chosen = await entries.ballot(session, anna, contest.id)
    assert [v.entry_id for v in offered] == [ids["boris"], ids["vera"]] and chosen is None
    with pytest.raises(entries.OwnWork):
        await entries.vote(session, anna, contest_id=contest.id, entry_id=ids["anna"])
    with pytest.raises(entries.NotAVoter):
        await entries.vote(
            session,
            Actor(people["outsider"].telegram_id),
            contest_id=contest.id,
            entry_id=ids["anna"],
        )
    assert not await entries.vote(session, anna, contest_id=contest.id, entry_id=ids["boris"])
    assert await entries.vote(session, anna, contest_id=contest.id, entry_id=ids["vera"])
    await entries.vote(session, judge9, contest_id=contest.id, entry_id=ids["vera"])
    assert await session.scalar(select(func.count()).select_from(ContestVote)) == 2
    _, chosen = await entries.ballot(session, anna, contest.id)
    assert chosen == ids["vera"]
    found = await results.results(session, Actor(leader.telegram_id), contest.id)
    assert [(e.title, e.votes) for e in found.audience_award] == [("Работа vera", 2)]


async def test_sweeps_open_close_and_remind_once(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, people = await _world(session)
    contest, _, (c1, c2), ids = await _three_entries(session, leader, association, people)
    contest.status = ContestStatus.ANNOUNCED
    assert await sweeps.open_submissions(session) == 1 and contest.status is ContestStatus.OPEN
    await NoticeRenderer("ru").deliver(session)
    (opened,) = (
        await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == -100_770))
    ).all()
    assert "Начался приём работ" in opened.payload["text"]
    assert "Педагогический дебют" in opened.payload["text"]
    assert "1 декабря 2026 г. – 10 декабря 2026 г." in opened.payload["text"]
    assert await sweeps.close_submissions(session) == 0
    _at(JUDGING)
    assert await sweeps.close_submissions(session) == 1
    assert contest.status is ContestStatus.JUDGING
    told = take_pending(session)
    left = {n.user.id: n.params["left"] for n in told if n.kind == "contests.judging"}
    assert left == {people["judge5"].id: 2, people["judge9"].id: 3}
    assert "contests.vote_open" in [n.kind for n in told]
    assert await sweeps.remind_jurors(session) == 0  # the 11th: more than 2 days before the 15th
    await judging.score(
        session, Actor(people["judge9"].telegram_id), entry_id=ids["anna"], values={c1: 1, c2: 1}
    )
    _at(datetime(2026, 12, 13, 9, 0, tzinfo=UTC))
    assert await sweeps.remind_jurors(session) == 2
    told = take_pending(session)
    assert {n.user.id: n.params["left"] for n in told} == {
        people["judge5"].id: 2,
        people["judge9"].id: 2,
    }
    assert await sweeps.remind_jurors(session) == 0
    assert await sweeps.remind_organisers(session) == 0
    _at(datetime(2026, 12, 16, 9, 0, tzinfo=UTC))
    assert await sweeps.remind_organisers(session) == 1
    (due,) = take_pending(session)
    assert due.kind == "contests.results_due" and due.user.id == leader.id
    assert due.params["progress"].judged == 1
    assert await sweeps.remind_organisers(session) == 0


async def test_forget_and_the_activity_count(session) -> None:  # type: ignore[no-untyped-def]
    leader, association, people = await _world(session)
    contest, _, (c1, c2), ids = await _three_entries(session, leader, association, people)
    start, end = datetime(2026, 9, 1, tzinfo=UTC), datetime(2027, 9, 1, tzinfo=UTC)
    counted = await activity.tally(session, start=start, end=end, forms=[activity.Form.CONTESTS])
    mine = counted.of_association(association.id)
    assert {user: dict(c.by_form) for user, c in mine.items()} == {
        people[key].id: {activity.Form.CONTESTS: 1} for key in ("anna", "boris", "vera")
    }
    _at(JUDGING)
    await judging.score(
        session, Actor(people["judge9"].telegram_id), entry_id=ids["vera"], values={c1: 1, c2: 1}
    )
    await entries.vote(
        session, Actor(people["vera"].telegram_id), contest_id=contest.id, entry_id=ids["anna"]
    )
    exported = await privacy.export_personal_data(session, actor=Actor(people["vera"].telegram_id))
    assert "contest_entries" in exported["records"] and "contest_votes" in exported["records"]
    await privacy.forget(session, actor=Actor(people["vera"].telegram_id))
    await privacy.forget(session, actor=Actor(people["judge9"].telegram_id))
    take_pending(session)
    assert (await session.scalars(select(ContestEntry.title).order_by(ContestEntry.id))).all() == [
        "Работа anna",
        "Работа boris",
    ]
    assert await session.scalar(select(func.count()).select_from(ContestVote)) == 0
    assert await session.scalar(select(func.count()).select_from(ContestScore)) == 0


async def test_a_network_wide_contest_is_a_methodists(session) -> None:  # type: ignore[no-untyped-def]
    from models.user import NetworkRole

    leader, _, people = await _world(session)
    methodist = await make_teacher(
        session, 770_010, full_name="Методистова Ольга Ивановна", roles=(NetworkRole.METHODIST,)
    )
    expert = await make_teacher(
        session, 770_011, full_name="Экспертов Иван Ильич", roles=(NetworkRole.EXPERT,)
    )
    with pytest.raises(PermissionDenied):
        await announcing.jury_candidates(session, Actor(leader.telegram_id), None)
    candidates = await announcing.jury_candidates(session, Actor(methodist.telegram_id), None)
    assert {user_id for user_id, _ in candidates} == {methodist.id, expert.id}
    contest = await announcing.announce(
        session,
        Actor(methodist.telegram_id),
        association_id=None,
        draft=_draft([expert.id, people["anna"].id]),  # Anna is no network expert: dropped
    )
    told = take_pending(session)
    assert [(n.kind, n.user.id) for n in told] == [("contests.jury", expert.id)]
    assert contest.association_id is None and contest.audience.value == "network"
    nomination = await session.scalar(
        select(ContestNomination.id).where(ContestNomination.contest_id == contest.id)
    )
    # a teacher of no association may take part
    view, _ = await entries.submit(
        session,
        Actor(people["outsider"].telegram_id),
        contest_id=contest.id,
        draft=_work(nomination),
    )
    assert view.contest == contest.title
    assert await judging.progress(session, Actor(methodist.telegram_id), contest.id)
    with pytest.raises(NotTheOrganiser):
        await judging.progress(session, Actor(leader.telegram_id), contest.id)


def test_the_qr_code_is_reportlabs_own() -> None:
    from reportlab.graphics.barcode.qr import QrCodeWidget

    from documents.qr import qr_modules

    link = "https://t.me/vmo_bot?start=verify_K7MXQRT4WC"
    widget = QrCodeWidget(link, barLevel="M")
    widget.qr.make()
    assert qr_modules(link) == [[bool(m) for m in row] for row in widget.qr.modules]


def test_points_after_do_in_the_protocol() -> None:
    from documents.contest_protocol import points_after_do

    assert [points_after_do(n) for n in (1, 5, 10, 11, 21, 100)] == [
        "балла",
        "баллов",
        "баллов",
        "баллов",
        "балла",
        "баллов",
    ]
