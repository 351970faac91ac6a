"""Documents built off the event loop: in a separate process by default, in a thread with 0."""

from __future__ import annotations

import os

import pytest

from services import offload


def _pid_and_sum(a: int, b: int) -> tuple[int, int]:
    return os.getpid(), a + b


@pytest.fixture(autouse=True)
def _fresh_pool():  # type: ignore[no-untyped-def]
    offload.shutdown()
    yield
    offload.shutdown()


async def test_a_document_is_built_in_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCUMENT_PROCESSES", "1")
    pid, total = await offload.offload(_pid_and_sum, 2, b=3)
    assert total == 5
    assert pid != os.getpid()


async def test_zero_processes_builds_in_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCUMENT_PROCESSES", "0")
    pid, total = await offload.offload(_pid_and_sum, 4, 5)
    assert (pid, total) == (os.getpid(), 9)
