"""Embedded fonts for the documents: PT Serif (body) and PT Sans (labels).

The TTF files come from the ``fontpkg-pt-serif`` / ``fontpkg-pt-sans`` PyPI packages, never
from the operating system, so a PDF looks the same on every machine and Cyrillic is always
embedded.
"""

from __future__ import annotations

import threading
from pathlib import Path

import fontpkg_pt_sans
import fontpkg_pt_serif
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = [
    "SANS",
    "SANS_BOLD",
    "SERIF",
    "SERIF_BOLD",
    "SERIF_BOLD_ITALIC",
    "SERIF_ITALIC",
    "register_fonts",
]

SERIF = "PTSerif"
SERIF_BOLD = "PTSerif-Bold"
SERIF_ITALIC = "PTSerif-Italic"
SERIF_BOLD_ITALIC = "PTSerif-BoldItalic"
SANS = "PTSans"
SANS_BOLD = "PTSans-Bold"
SANS_ITALIC = "PTSans-Italic"
SANS_BOLD_ITALIC = "PTSans-BoldItalic"

# registered name -> file-name suffix inside the font package
_SERIF_FACES = {
    SERIF: "Regular",
    SERIF_BOLD: "Bold",
    SERIF_ITALIC: "Italic",
    SERIF_BOLD_ITALIC: "BoldItalic",
}
_SANS_FACES = {
    SANS: "Regular",
    SANS_BOLD: "Bold",
    SANS_ITALIC: "Italic",
    SANS_BOLD_ITALIC: "BoldItalic",
}

_lock = threading.Lock()
_registered = False


def _font_files(package_file: str) -> dict[str, Path]:
    """Map face suffix ("Regular", "BoldItalic"…) to the .ttf file inside a font package."""
    root = Path(package_file).resolve().parent
    files: dict[str, Path] = {}
    for path in sorted(root.glob("**/*.ttf")):
        face = path.stem.rsplit("-", 1)[-1]
        files.setdefault(face, path)
    return files


def _register_family(package_file: str, faces: dict[str, str]) -> None:
    files = _font_files(package_file)
    for name, face in faces.items():
        if face not in files:
            raise FileNotFoundError(f"{face} face not found in {Path(package_file).parent}")
        pdfmetrics.registerFont(TTFont(name, str(files[face])))
    regular, bold, italic, bold_italic = faces
    pdfmetrics.registerFontFamily(
        regular, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic
    )


def register_fonts() -> None:
    """Register PT Serif and PT Sans with ReportLab once (safe to call any number of times)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        _register_family(fontpkg_pt_serif.__file__, _SERIF_FACES)
        _register_family(fontpkg_pt_sans.__file__, _SANS_FACES)
        _registered = True
