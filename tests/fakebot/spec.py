"""Bot API spec (``api.json``): decode form parameters and validate calls against it."""

from __future__ import annotations

import functools
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_SPEC_PATH = (
    Path(__file__).resolve().parents[2].parent / "shared" / "telegram-bot-api" / "api.json"
)
_DISCRIMINATOR_RE = re.compile(r"(?:must be|always)\s+[“\"]?([a-z_]+)")
_INT_RE = re.compile(r"-?\d+")
_NUMERIC_NAMES = {"offset", "limit", "timeout", "until_date", "expire_date", "member_limit"}
# Ids the Bot API types as strings, though they may look like numbers (a callback query's).
_STRING_IDS = {
    "callback_query_id",
    "inline_query_id",
    "shipping_query_id",
    "pre_checkout_query_id",
    "web_app_query_id",
    "business_connection_id",
    "file_id",
    "custom_emoji_id",
    "message_effect_id",
    "gift_id",
}


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {len(self.content)} bytes)"


@dataclass(frozen=True)
class FieldSpec:
    """One parameter of a method, or one field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool


class Fields(dict[str, FieldSpec]):
    """Fields by name, plus the names of the required ones (precomputed: checks are hot)."""

    def __init__(self, specs: list[FieldSpec]) -> None:
        super().__init__((spec.name, spec) for spec in specs)
        self.required = tuple(spec.name for spec in specs if spec.required)


@dataclass(frozen=True)
class TypeSpec:
    """An object type: its fields, or the subtypes it can be one of."""

    name: str
    fields: Fields
    subtypes: tuple[str, ...]
    discriminator: str | None  # e.g. "type" for BotCommandScopeChat ...
    discriminator_value: str | None  # ... whose "type" must be "chat"


class Spec:
    """The Bot API as data, used to decode and check every call the bot makes."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data.get("version", "?")
        self.methods: dict[str, Fields] = {
            name: _fields(method) for name, method in data["methods"].items()
        }
        self.method_names = {name.lower(): name for name in self.methods}
        self.returns: dict[str, tuple[str, ...]] = {
            name: tuple(method.get("returns", ())) for name, method in data["methods"].items()
        }
        self.types: dict[str, TypeSpec] = {
            name: _type_spec(raw) for name, raw in data["types"].items()
        }

    @classmethod
    def load(cls, path: Path | None) -> Spec | None:
        """Load ``api.json``; warn once and return None when it is missing."""
        path = (path or DEFAULT_SPEC_PATH).resolve()
        if not path.is_file():
            warnings.warn(
                f"Bot API spec not found at {path}; fake Bot API skips spec checks",
                stacklevel=3,
            )
            return None
        return _load_cached(cls, path, path.stat().st_mtime_ns)

    def canonical_method(self, name: str) -> str | None:
        """Telegram matches method names case-insensitively."""
        return self.method_names.get(name.lower())

    def decode(self, method: str, raw: dict[str, Any]) -> dict[str, Any]:
        """Turn form values (strings, JSON-encoded when not strings) into Python values."""
        fields = self.methods.get(method, Fields([]))
        out: dict[str, Any] = {}
        for name, value in raw.items():
            spec = fields.get(name)
            out[name] = self._decode_value(value, spec.types) if spec else guess_decode(name, value)
        return out

    def _decode_value(self, value: Any, types: tuple[str, ...]) -> Any:
        if not isinstance(value, str) or types == ("String",):
            return value
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if "String" in types and self.type_error(decoded, types) is not None:
            return value
        return decoded

    def check_call(self, method: str, params: dict[str, Any]) -> list[str]:
        """Every way ``params`` break the spec of ``method`` (empty when fine)."""
        return self.check_fields(self.methods[method], params, "")

    def check_fields(self, fields: Fields, values: dict[str, Any], where: str) -> list[str]:
        """Check required, unknown and typed fields of one object or call."""
        problems = [
            f"parameter '{where}{name}' is required"
            for name in fields.required
            if name not in values
        ]
        for name, value in values.items():
            spec = fields.get(name)
            if spec is None:
                problems.append(f"unknown parameter '{where}{name}'")
                continue
            error = self.type_error(value, spec.types, f"{where}{name}")
            if error:
                problems.append(error)
        return problems

    def type_error(self, value: Any, types: tuple[str, ...], where: str = "value") -> str | None:
        """None when ``value`` matches one of ``types``, else why not."""
        errors = {}
        for kind in types:
            error = self._check_one(value, kind, where)
            if error is None:
                return None
            errors[kind] = error
        if len(errors) == 1:
            return next(iter(errors.values()))
        if isinstance(value, dict):
            return errors[max(types, key=lambda kind: self._overlap(value, kind))]
        return f"'{where}' must be {' or '.join(types)}, got {_kind(value)}"

    def _overlap(self, value: dict[str, Any], kind: str) -> int:
        spec = self.types.get(kind)
        return len(value.keys() & spec.fields.keys()) if spec else -1

    def _check_one(self, value: Any, kind: str, where: str) -> str | None:
        if kind.startswith("Array of "):
            return self._check_array(value, kind[len("Array of ") :], where)
        primitive = _PRIMITIVES.get(kind)
        if primitive is not None:
            return None if primitive(value) else f"'{where}' must be {kind}, got {_kind(value)}"
        type_spec = self.types.get(kind)
        if type_spec is None:
            return None  # a type the spec does not describe: nothing to check
        if not isinstance(value, dict):
            return f"'{where}' must be a JSON object ({kind}), got {_kind(value)}"
        return self._check_object(value, type_spec, where)

    def _check_array(self, value: Any, inner: str, where: str) -> str | None:
        if not isinstance(value, list):
            return f"'{where}' must be an Array of {inner}, got {_kind(value)}"
        for index, item in enumerate(value):
            error = self._check_one(item, inner, f"{where}[{index}]")
            if error:
                return error
        return None

    def _check_object(self, value: dict[str, Any], spec: TypeSpec, where: str) -> str | None:
        if spec.discriminator_value and value.get(spec.discriminator) != spec.discriminator_value:
            return f"'{where}.{spec.discriminator}' must be \"{spec.discriminator_value}\""
        if not spec.subtypes:
            problems = self.check_fields(spec.fields, value, f"{where}.")
            return problems[0] if problems else None
        candidates = self._candidate_subtypes(value, spec)
        errors = [self._check_object(value, self.types[name], where) for name in candidates]
        if any(error is None for error in errors):
            return None
        if len(candidates) == 1:
            return errors[0]
        return f"'{where}' matches none of {', '.join(spec.subtypes)}"

    def _candidate_subtypes(self, value: dict[str, Any], spec: TypeSpec) -> list[str]:
        known = [name for name in spec.subtypes if name in self.types]
        matching = []
        for name in known:
            sub = self.types[name]
            if sub.discriminator and value.get(sub.discriminator) == sub.discriminator_value:
                matching.append(name)
        return matching or known


@functools.lru_cache(maxsize=4)
def _load_cached(cls: type[Spec], path: Path, mtime_ns: int) -> Spec:
    """Parse each spec file once per process (the Spec is never modified)."""
    with path.open(encoding="utf-8") as handle:
        return cls(json.load(handle))


def _fields(raw: dict[str, Any]) -> Fields:
    return Fields(
        [
            FieldSpec(f["name"], tuple(f["types"]), bool(f["required"]))
            for f in raw.get("fields", [])
        ]
    )


def _type_spec(raw: dict[str, Any]) -> TypeSpec:
    subtypes = tuple(raw.get("subtypes", ()))
    for field in raw.get("fields", []):
        if field["name"] in ("type", "source", "status"):
            match = _DISCRIMINATOR_RE.search(" ".join(_as_list(field["description"])))
            if match:
                return TypeSpec(raw["name"], _fields(raw), subtypes, field["name"], match[1])
    return TypeSpec(raw["name"], _fields(raw), subtypes, None, None)


def _as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_float(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_PRIMITIVES = {
    "Integer": _is_int,
    "Float": _is_float,
    "Boolean": lambda v: isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "True": lambda v: v is True,
    "InputFile": lambda v: isinstance(v, UploadedFile),
}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, UploadedFile):
        return "InputFile"
    return "JSON object"


def guess_decode(name: str, value: Any) -> Any:
    """Decode a form value without a spec: JSON objects, arrays, booleans, integer ids."""
    if not isinstance(value, str) or not value:
        return value
    numeric = (name.endswith("_id") and name not in _STRING_IDS) or name in _NUMERIC_NAMES
    if value in ("true", "false") or value[0] in "[{" or (numeric and _INT_RE.fullmatch(value)):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
