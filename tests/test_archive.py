"""`python -m bot archive-files` against the fake Bot API's file endpoint: the files are
written under FILES_DIR and recorded, a second run copies nothing again, a lost copy is made
again, files over Telegram's 20 MB download limit are reported and never asked for, and a
file Telegram does not know is reported as failed."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

import bot.__main__ as cli
from bot.archive import archive_files
from models.db import unit_of_work
from models.resources import FileKind, Material, MaterialFile, MaterialKind, MaterialStatus
from tests.factories import make_association, make_teacher
from tests.harness import make_settings

BIG = 25 * 1024 * 1024


async def _material(session, status: MaterialStatus, files: list[dict]) -> Material:  # type: ignore[no-untyped-def]
    author = await make_teacher(session)
    association = await make_association(session, leader=author)
    material = Material(
        association_id=association.id,
        author_user_id=author.id,
        kind=MaterialKind.DIDACTIC,
        title="Карточки по дробям",
        status=status,
    )
    session.add(material)
    await session.flush()
    for position, file in enumerate(files):
        session.add(MaterialFile(material_id=material.id, position=position, **file))
    await session.flush()
    return material


def _row(stored, kind: FileKind, name: str | None) -> dict:  # type: ignore[no-untyped-def]
    return {
        "kind": kind,
        "telegram_file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_name": name,
        "size": stored.size,
    }


async def test_archive_copies_once_and_reports_what_it_cannot(
    fake_api, database_url, sessions, tmp_path, capsys, monkeypatch
):
    files = fake_api.world.files
    pdf = files.add(b"%PDF-1.4 fractions", "дроби 5 класс.pdf", "application/pdf", "document")
    photo = files.add(b"\xff\xd8\xff\xe0jpeg", None, "image/jpeg", "photo")
    big = files.add(b"mp4", "урок.mp4", "video/mp4", "video", size=BIG)
    quiet = files.add(b"?", "тайна.docx", None, "document", size=BIG)  # size unknown to us
    async with unit_of_work(sessions) as session:
        kept = await _material(
            session,
            MaterialStatus.APPROVED,
            [
                _row(pdf, FileKind.DOCUMENT, "дроби 5 класс.pdf"),
                _row(photo, FileKind.PHOTO, None),
                _row(big, FileKind.VIDEO, "урок.mp4"),
                {**_row(quiet, FileKind.DOCUMENT, "тайна.docx"), "size": None},
                {
                    "kind": FileKind.DOCUMENT,
                    "telegram_file_id": "BQAC-of-another-bot",
                    "file_unique_id": "AgADgone",
                    "file_name": "старый.pdf",
                },
            ],
        )
        withdrawn = await _material(
            session, MaterialStatus.WITHDRAWN, [_row(pdf, FileKind.DOCUMENT, "x.pdf")]
        )
    settings = make_settings(fake_api, database_url, files_dir=tmp_path / "files")

    report = await archive_files(settings)

    root = tmp_path / "files"
    assert (root / f"{kept.id}/01-дроби_5_класс.pdf").read_bytes() == b"%PDF-1.4 fractions"
    (photo_copy,) = (root / str(kept.id)).glob("02-photo-*")
    assert photo_copy.read_bytes() == b"\xff\xd8\xff\xe0jpeg" and photo_copy.suffix == ".jpg"
    assert not (root / str(withdrawn.id)).exists()
    assert (report.copied, report.already) == (2, 0)
    assert report.copied_bytes == len(b"%PDF-1.4 fractions") + len(b"\xff\xd8\xff\xe0jpeg")
    assert len(report.too_big) == 2 and "25.0 MB" in report.too_big[0]
    assert len(report.failed) == 1 and "старый.pdf" in report.failed[0]
    asked = [call.params["file_id"] for call in fake_api.calls_of("getFile")]
    assert big.file_id not in asked  # its size is known: never asked for
    async with sessions() as session:
        rows = {
            row.position: row
            for row in await session.scalars(
                select(MaterialFile).where(MaterialFile.material_id == kept.id)
            )
        }
    assert rows[0].archived_path == f"{kept.id}/01-дроби_5_класс.pdf"
    assert rows[0].archived_at is not None and rows[2].archived_path is None

    again = await archive_files(settings)
    assert (again.copied, again.already) == (0, 2)

    photo_copy.unlink()  # a copy lost on disk is made again, by the command line this time
    monkeypatch.setattr(cli, "_settings", lambda: settings)
    with pytest.raises(SystemExit) as exit_:
        await asyncio.to_thread(cli.main, ["archive-files"])
    assert exit_.value.code == 1  # the file Telegram does not know is still failing
    printed = capsys.readouterr().out
    assert "Copied: 1 file(s)" in printed and "Already archived: 1" in printed
    assert photo_copy.read_bytes() == b"\xff\xd8\xff\xe0jpeg"
