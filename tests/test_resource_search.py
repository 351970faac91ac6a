"""The bank's search on SQLite (FTS5 over Snowball stems) and PostgreSQL (russian text
search): Russian word forms, ranking, only approved materials, kept in step with changes."""

from __future__ import annotations

from models.resources import MaterialStatus
from services.resources import search
from tests.factories import make_association, make_material, make_teacher


async def _bank(session):  # type: ignore[no-untyped-def]
    author = await make_teacher(session)
    club = await make_association(session, leader=author)
    made = {}
    for title, description, tags, status in (
        ("Дроби в 5 классе", "Конспект урока с заданиями", "математика", "approved"),
        ("Проценты и доли", "Сложение дробей и процентов", "", "approved"),
        ("Урок-игра по истории", "Сценарий урока", "история, игра", "approved"),
        ("Дробь на черновике", "ещё не проверено", "", "pending"),
        ("Functional literacy tasks", "PISA style", "reading", "approved"),
    ):
        made[title] = await make_material(
            session,
            title=title,
            description=description,
            tags=tags,
            status=status,
            association=club,
            author=author,
        )
    await session.commit()
    return made


async def _titles(session, words: str) -> list[str]:  # type: ignore[no-untyped-def]
    from models.resources import Material

    hits, total = await search.search(session, words)
    assert total == len(hits)
    return [(await session.get(Material, hit.material_id)).title for hit in hits]


async def test_russian_word_forms_are_found_and_ranked(session) -> None:  # type: ignore[no-untyped-def]
    await _bank(session)
    found = await _titles(session, "дробь")
    assert found[0] == "Дроби в 5 классе"  # in the title ranks above a word in the text
    assert set(found) == {"Дроби в 5 классе", "Проценты и доли"}  # not the pending one
    # «Урок» in the title ranks above «урока» in the description.
    assert await _titles(session, "уроки") == ["Урок-игра по истории", "Дроби в 5 классе"]
    assert await _titles(session, "игры истории") == ["Урок-игра по истории"]
    assert await _titles(session, "literacy") == ["Functional literacy tasks"]
    assert await _titles(session, "география") == []
    assert await _titles(session, "  !!! ") == []


async def test_the_index_follows_approval_withdrawal_and_edits(session) -> None:  # type: ignore[no-untyped-def]
    made = await _bank(session)
    draft = made["Дробь на черновике"]
    draft.status = MaterialStatus.APPROVED
    await session.commit()
    assert "Дробь на черновике" in await _titles(session, "дроби")

    lesson = made["Дроби в 5 классе"]
    lesson.status = MaterialStatus.WITHDRAWN
    await session.commit()
    assert "Дроби в 5 классе" not in await _titles(session, "дроби")

    game = made["Урок-игра по истории"]
    game.title = "Викторина по географии"
    await session.commit()
    assert await _titles(session, "географии") == ["Викторина по географии"]
    assert await _titles(session, "игра") == ["Викторина по географии"]  # still in the tags

    await session.delete(game)
    await session.commit()
    assert await _titles(session, "география") == []
    assert await search.rebuild(session) in (0, 3)  # 0 on PostgreSQL: nothing to rebuild


async def test_paging_counts_every_match(session) -> None:  # type: ignore[no-untyped-def]
    club = await make_association(session)
    for n in range(23):
        await make_material(session, title=f"Задачи на движение, часть {n + 1}", association=club)
    await session.commit()
    first, total = await search.search(session, "задача", limit=10)
    third, _ = await search.search(session, "задача", limit=10, offset=20)
    assert total == 23 and len(first) == 10 and len(third) == 3
    assert not {h.material_id for h in first} & {h.material_id for h in third}
