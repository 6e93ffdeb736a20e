"""Reading an article file's bytes as text: size limit, binary files, encodings.

Decoding is deterministic and never guesses: a byte-order mark (UTF-8, UTF-16, UTF-32) wins,
else the bytes must be UTF-8, else (HTML only) the charset the page declares in a ``<meta>`` tag.
Anything else is refused with advice, since a wrong guess would silently change the characters
that evidence quotes are checked against. Line ends become ``\\n``.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from kb.errors import InputError

MAX_BYTES = 10 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
_SAVE_AS = "save the article as UTF-8 text (.txt, .md) or as an HTML page"
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""",
                               re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_text(path: Path, *, html: bool = False) -> str:
    """The file's text, decoded as the module docstring says, with ``\\n`` line ends.

    :raises InputError: when the path is missing, unreadable or not a file, the file is empty,
        too big, binary, or in an encoding that is not declared.
    """
    try:
        raw = _read_bytes(path)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc}); check the path and its permissions.") from exc
    if not raw.strip():
        raise InputError("is empty; give a file with the article's text.")
    text = _decode(raw, html, path.name)
    if len(_CONTROL.findall(text[:65536])) > 8:
        raise InputError(f"is a binary file, not an article (it holds control characters); {_SAVE_AS}.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError("no such file; check the path.")
    if path.is_dir():
        raise InputError("is a folder; give an article file (.txt, .md or .html).")
    if not path.is_file():
        raise InputError("is not a regular file (a device or a pipe); give an article file.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"is {size / 1024 / 1024:.1f} MB; article files are read up to {MAX_BYTES // 1024 // 1024} MB. "
            "Save only the article (a web page as 'HTML only', without inline images)."
        )
    return path.read_bytes()


def _decode(raw: bytes, html: bool, name: str) -> str:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()} "
                    f"(byte {exc.start}); save it again as UTF-8."
                ) from exc
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise InputError(f"is {kind}, not an article; {_SAVE_AS}.")
    if b"\x00" in raw:
        if raw[1:200:2].count(0) > 50 or raw[0:200:2].count(0) > 50:
            raise InputError("looks like UTF-16 text without a byte-order mark; save it again as UTF-8.")
        raise InputError(f"is a binary file, not an article; {_SAVE_AS}.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    declared = _DECLARED_CHARSET.search(raw[:4096]) if html else None
    if declared:
        charset = declared.group(1).decode("ascii")
        try:
            return raw.decode(codecs.lookup(charset).name)
        except LookupError:
            raise InputError(f"declares charset '{charset}', which is not a known encoding; save it as UTF-8.") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"declares charset '{charset}' but is not valid {charset} (byte {exc.start}); save it as UTF-8."
            ) from exc
    hint = ""
    try:
        raw.decode("cp1252")
        hint = (" It looks like Windows-1252 (or Latin-1) text: convert it, e.g. "
                f"`iconv -f WINDOWS-1252 -t UTF-8 '{name}' > 'utf8-{name}'`.")
    except UnicodeDecodeError:
        pass
    raise InputError(
        f"is not valid UTF-8 (byte {utf8_error.start}); save it as UTF-8 and try again.{hint}"
    ) from utf8_error
