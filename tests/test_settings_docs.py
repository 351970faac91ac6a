"""Every setting is documented where a person looks for it: .env.example and the README."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_in_env_example_and_readme() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [name.upper() for name in Settings.model_fields]
    assert "HANDLE_UPDATES" in names
    missing_example = [n for n in names if f"{n}=" not in example]
    missing_readme = [n for n in names if f"`{n}`" not in readme]
    assert not missing_example, missing_example
    assert not missing_readme, missing_readme
