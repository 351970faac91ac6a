"""Search in the bank by words that understands Russian word forms («дробь» finds «Дроби
в 5 классе»), ranked, on both databases.

- PostgreSQL: its own `russian` text search over title, tags and description (weighted in
  that order), stored in a generated column with a GIN index (migration 0019); the
  database keeps it in step.
- SQLite: an FTS5 table `materials_fts` holding the Snowball stems (PyStemmer) of the
  approved materials' words, ranked by bm25. It is kept in step by a flush hook here:
  whenever a material is added, changed or deleted, its row is rewritten (only approved
  materials are findable), whichever service changed it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import Stemmer
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from models.resources import Material, MaterialStatus

FTS_TABLE = "materials_fts"
TITLE_WEIGHT = 4.0  # a word in the title counts as much as four in the text
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-я]")
# A stored generated column on PostgreSQL (migration 0019): title A, tags B, description C.
PG_DOCUMENT = "materials.search_vector"


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def stems(words: str) -> list[str]:
    """The Snowball stems of the words: Russian ones by the Russian stemmer, others English."""
    found = []
    for word in _WORD.findall(words.lower().replace("ё", "е")):
        language = "russian" if _CYRILLIC.search(word) else "english"
        found.append(_stemmer(language).stemWord(word))
    return found


def document_of(material: Material) -> dict[str, str]:
    """The FTS row of a material: the stems of its title, and of its tags and description."""
    return {
        "title": " ".join(stems(material.title)),
        "words": " ".join(stems(f"{material.tags or ''} {material.description or ''}")),
    }


@dataclass(frozen=True, slots=True)
class Hit:
    material_id: int
    rank: float


async def search(
    session: AsyncSession, words: str, *, limit: int = 20, offset: int = 0
) -> tuple[list[Hit], int]:
    """Approved materials matching every word, best first, and how many match in all."""
    if session.bind.dialect.name == "postgresql":
        return await _search_postgresql(session, words, limit, offset)
    return await _search_sqlite(session, words, limit, offset)


def _pg_query(words: str) -> str:
    return " ".join(_WORD.findall(words)[:MAX_QUERY_WORDS])


async def _search_postgresql(
    session: AsyncSession, words: str, limit: int, offset: int
) -> tuple[list[Hit], int]:
    query = _pg_query(words)
    if not query:
        return [], 0
    where = f"materials.status = :approved AND {PG_DOCUMENT} @@ plainto_tsquery('russian', :q)"
    params = {"q": query, "approved": MaterialStatus.APPROVED.value, "n": limit, "o": offset}
    total = await session.scalar(text(f"SELECT count(*) FROM materials WHERE {where}"), params)
    rows = await session.execute(
        text(
            f"SELECT materials.id, ts_rank({PG_DOCUMENT}, plainto_tsquery('russian', :q)) AS rank "
            f"FROM materials WHERE {where} ORDER BY rank DESC, materials.id DESC "
            "LIMIT :n OFFSET :o"
        ),
        params,
    )
    return [Hit(row.id, float(row.rank)) for row in rows], int(total or 0)


def _fts_query(words: str) -> str:
    terms = [f'"{stem}"*' for stem in stems(words)[:MAX_QUERY_WORDS] if stem]
    return " ".join(terms)


async def _search_sqlite(
    session: AsyncSession, words: str, limit: int, offset: int
) -> tuple[list[Hit], int]:
    query = _fts_query(words)
    if not query:
        return [], 0
    total = await session.scalar(
        text(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"), {"q": query}
    )
    rows = await session.execute(
        text(
            f"SELECT rowid, bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS rank FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH :q ORDER BY rank, rowid DESC LIMIT :n OFFSET :o"
        ),
        {"q": query, "n": limit, "o": offset},
    )
    return [Hit(row.rowid, -float(row.rank)) for row in rows], int(total or 0)


async def rebuild(session: AsyncSession) -> int:
    """Re-index every approved material (SQLite; after a restore or a bulk import)."""
    if session.bind.dialect.name != "sqlite":
        return 0
    await session.execute(text(f"DELETE FROM {FTS_TABLE}"))
    approved = await session.scalars(
        select(Material).where(Material.status == MaterialStatus.APPROVED)
    )
    count = 0
    for material in approved:
        await session.execute(_INSERT, {"id": material.id, **document_of(material)})
        count += 1
    return count


_DELETE = text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id")
_INSERT = text(f"INSERT INTO {FTS_TABLE} (rowid, title, words) VALUES (:id, :title, :words)")


def _reindex(session: Session, materials: Sequence[Material], deleted: Sequence[Material]) -> None:
    connection = session.connection()
    for material in deleted:
        connection.execute(_DELETE, {"id": material.id})
    for material in materials:
        connection.execute(_DELETE, {"id": material.id})
        if material.status is MaterialStatus.APPROVED:
            connection.execute(_INSERT, {"id": material.id, **document_of(material)})


@event.listens_for(Session, "after_flush")
def _keep_sqlite_index(session: Session, _context: object) -> None:
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    changed = [
        m for m in (*session.new, *session.dirty) if isinstance(m, Material) and m.id is not None
    ]
    deleted = [m for m in session.deleted if isinstance(m, Material)]
    if changed or deleted:
        _reindex(session, changed, deleted)


__all__ = ["Hit", "document_of", "rebuild", "search", "stems"]
