"""Telegram text rules: HTML parse mode, UTF-16 lengths, bot command entities."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_ALL_TAGS = set(_SIMPLE_TAGS) | {"span", "a", "tg-emoji", "blockquote"}
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_TAG_NAME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR_RE = re.compile(
    r"\s*([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?"
)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the way Telegram counts."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _utf16_len_fast(text: str) -> int:
    if text.isascii():
        return len(text)
    return utf16_len(text)


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int  # UTF-16 offset in the visible text


@dataclass
class _HtmlParser:
    source: str
    pos: int = 0
    out: list[str] = field(default_factory=list)
    out_len: int = 0
    stack: list[_OpenTag] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, what: str) -> ApiError:
        return bad_request(f"can't parse entities: {what}")

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.out_len += _utf16_len_fast(text)

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        src = self.source
        while self.pos < len(src):
            nxt = _next_special(src, self.pos)
            if nxt > self.pos:
                self.emit(src[self.pos : nxt])
                self.pos = nxt
                continue
            if src[self.pos] == "&":
                self.read_entity()
            elif src.startswith("</", self.pos):
                self.read_end_tag()
            else:
                self.read_start_tag()
        if self.stack:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def read_entity(self) -> None:
        match = _ENTITY_RE.match(self.source, self.pos)
        if not match:
            raise self.fail(
                f"Character '&' is reserved and must be escaped at byte offset "
                f"{self.byte_offset(self.pos)}"
            )
        self.emit(html.unescape(match.group(0)))
        self.pos = match.end()

    def read_start_tag(self) -> None:
        start = self.pos
        name_match = _TAG_NAME_RE.match(self.source, start + 1)
        name = name_match.group(0).lower() if name_match else ""
        if name not in _ALL_TAGS:
            raise self.fail(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(start)}'
            )
        assert name_match is not None
        attrs, end = self.read_attributes(name_match.end(), start)
        self.pos = end
        if self.stack and _forbids_nesting(self.stack[-1].name, name):
            raise self.fail(f'Entities inside "{self.stack[-1].name}" are not supported')
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and not attrs.get("emoji-id"):
            raise self.fail('Tag "tg-emoji" must have attribute "emoji-id"')
        self.stack.append(_OpenTag(name, attrs, self.out_len))

    def read_attributes(self, index: int, tag_start: int) -> tuple[dict[str, str], int]:
        attrs: dict[str, str] = {}
        src = self.source
        while True:
            while index < len(src) and src[index].isspace():
                index += 1
            if index >= len(src):
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
            if src[index] == ">":
                return attrs, index + 1
            match = _ATTR_RE.match(src, index)
            if not match or match.end() == index:
                raise self.fail(
                    f"Expected equal sign in declaration of an attribute of the start tag "
                    f"at byte offset {self.byte_offset(tag_start)}"
                )
            value = next((g for g in match.groups()[1:] if g is not None), "")
            attrs[match.group(1).lower()] = html.unescape(value)
            index = match.end()

    def read_end_tag(self) -> None:
        start = self.pos
        close = self.source.find(">", start)
        if close < 0:
            raise self.fail(f"Unclosed end tag at byte offset {self.byte_offset(start)}")
        name = self.source[start + 2 : close].strip().lower()
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {self.byte_offset(start)}")
        top = self.stack[-1]
        if name != top.name:
            raise self.fail(
                f"Unmatched end tag at byte offset {self.byte_offset(start)}, "
                f'expected "</{top.name}>", found "</{name}>"'
            )
        self.stack.pop()
        self.pos = close + 1
        self.close_entity(top)

    def close_entity(self, tag: _OpenTag) -> None:
        if _is_pre_language(tag, self.stack):
            self.stack[-1].attrs["_language"] = tag.attrs["class"][len("language-") :]
            return  # Telegram folds <pre><code class="language-x"> into one pre entity
        length = self.out_len - tag.offset
        entity = _entity_for(tag)
        if entity is not None and length > 0:
            entity.update(offset=tag.offset, length=length)
            self.entities.append(entity)


def _forbids_nesting(outer: str, inner: str) -> bool:
    return outer == "code" or (outer == "pre" and inner != "code")


def _next_special(src: str, pos: int) -> int:
    lt = src.find("<", pos)
    amp = src.find("&", pos)
    candidates = [i for i in (lt, amp) if i >= 0]
    return min(candidates) if candidates else len(src)


def _is_pre_language(tag: _OpenTag, stack: list[_OpenTag]) -> bool:
    return (
        tag.name == "code"
        and bool(stack)
        and stack[-1].name == "pre"
        and tag.attrs.get("class", "").startswith("language-")
    )


def _entity_for(tag: _OpenTag) -> dict[str, Any] | None:
    if tag.name in _SIMPLE_TAGS:
        entity: dict[str, Any] = {"type": _SIMPLE_TAGS[tag.name]}
        if "_language" in tag.attrs:
            entity["language"] = tag.attrs["_language"]
        return entity
    if tag.name == "span":
        return {"type": "spoiler"}
    if tag.name == "a":
        href = tag.attrs.get("href")
        return {"type": "text_link", "url": href} if href else None
    if tag.name == "tg-emoji":
        return {"type": "custom_emoji", "custom_emoji_id": tag.attrs["emoji-id"]}
    kind = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    return {"type": kind}


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into ``(visible_text, entities)``; raise 400 like Telegram."""
    if "<" not in source and "&" not in source:
        return source, []
    return _HtmlParser(source).parse()


def render_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply ``parse_mode`` (HTML is checked; other modes are taken verbatim)."""
    if parse_mode and parse_mode.lower() == "html":
        return parse_html(text)
    return text, list(entities or [])


def check_message_text(text: str) -> None:
    """Telegram's 1..4096 rule for message text, after entity parsing."""
    if not text.strip():
        raise bad_request("message text is empty")
    if _utf16_len_fast(text) > MAX_TEXT:
        raise bad_request("message is too long")


def check_caption(caption: str) -> None:
    """Telegram's 0..1024 rule for captions, after entity parsing."""
    if _utf16_len_fast(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")


def command_entities(text: str) -> list[dict[str, Any]]:
    """A ``bot_command`` entity for text like ``/start`` or ``/cmd@bot args``."""
    if not text.startswith("/") or len(text) < 2:
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
