"""Reading a document's bytes into lines of text.

UTF-8 is the norm on gov.cn; older files and reprints are GBK/GB18030.  A file
is read as UTF-8 (a BOM is dropped); if no line with non-ASCII bytes is valid
UTF-8, the whole file is tried as GB18030.  A file that mixes the two, or is
neither, is refused with the line and byte that broke.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from plankg.errors import DocumentError

BOM = b"\xef\xbb\xbf"


@dataclass
class DecodedText:
    text: str
    encoding: str
    had_bom: bool


def decode(data: bytes, path: object) -> DecodedText:
    had_bom = data.startswith(BOM)
    while data.startswith(BOM):  # an editor may add a second one; either way it is not text
        data = data[len(BOM):]
    if not data.strip():
        raise DocumentError(path, None, "the file is empty", "give a document with at least one numbered heading")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", had_bom)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # the last bytes start a character that never ends
            raise DocumentError(path, data.count(b"\n", 0, exc.start) + 1,
                                "the file ends in the middle of a character: it looks truncated",
                                "get the complete file again") from None
    lines = data.split(b"\n")
    utf8_ok, first_bad = [], None
    for number, raw in enumerate(lines, start=1):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8_ok.append(number)
        except UnicodeDecodeError as exc:
            if first_bad is None:
                first_bad = (number, exc.start)
    assert first_bad is not None
    line, col = first_bad
    if utf8_ok:
        raise DocumentError(
            path, line,
            f"mixed encodings: byte {col + 1} of this line is not UTF-8 while line {utf8_ok[0]} is",
            "convert the whole file to UTF-8 (e.g. iconv -f GB18030 -t UTF-8)",
        )
    try:
        return DecodedText(data.decode("gb18030"), "gb18030", had_bom)
    except UnicodeDecodeError:
        raise DocumentError(
            path, line, f"not UTF-8 and not GBK/GB18030 (bad byte {col + 1} on this line)",
            "save the file as UTF-8",
        ) from None


#: characters no text of a plan holds and XML 1.0 cannot carry (C0 controls but tab and newline, DEL and the
#: C1 controls, which terminals read as commands, and the non-characters U+FFFE, U+FFFF): refused at the door,
#: so that every page, SPARQL XML result and RDF/XML twin stays well-formed and no terminal is steered
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def check_characters(text: str, path: object, first_line: int = 1) -> None:
    """Raise a DocumentError naming the line and the character if ``text`` holds a :data:`FORBIDDEN` one."""
    m = FORBIDDEN.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + first_line
        raise DocumentError(path, line, f"control character U+{ord(m.group()):04X} in the text",
                            "remove it (no published text holds one; it cannot be written as XML)")


#: the largest document file read (bytes): the longest plan of the corpus is 22 KB; a full text of a plan with
#: every annex is well under 2 MB.  A bigger file (or /dev/zero) is refused before it is read whole.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: the longest line (characters): a paragraph of a plan is a few hundred; a longer line is not a policy text
MAX_LINE_CHARS = 20_000


def read_capped(path: Path, what: str = "file", limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or a one-line DocumentError: a folder, a FIFO, a
    device (/dev/zero) or a socket is refused at once, before anything is read (a FIFO would block for ever),
    and no more than ``limit`` + 1 bytes are ever read."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))  # O_NONBLOCK: a FIFO opens at once
    except OSError as exc:
        raise DocumentError(path, None, f"cannot read the {what}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
                    else "not a regular file")
            raise DocumentError(path, None, f"cannot read the {what}: it is {kind}, not a regular file", "give a text file")
        chunks, size = [], 0
        while size <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            except OSError as exc:
                raise DocumentError(path, None, f"cannot read the {what}: {exc.strerror or exc}") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise DocumentError(path, None, f"the {what} is larger than {limit // (1024 * 1024)} MB; it was not read",
                                "no policy document is this big: is it the right file?")
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_line_lengths(lines: list[str], path: object, limit: int = MAX_LINE_CHARS) -> None:
    for number, line in enumerate(lines, start=1):
        if len(line) > limit:
            raise DocumentError(path, number, f"the line has {len(line)} characters, more than {limit}",
                                "a policy text has no line this long: is it the right file (or one line of a binary)?")


def read_lines(path: Path) -> tuple[list[str], DecodedText]:
    data = read_capped(Path(path))
    decoded = decode(data, path)
    text = unicodedata.normalize("NFC", decoded.text.replace("\r\n", "\n").replace("\r", "\n"))
    check_characters(text, path)
    lines = text.split("\n")
    check_line_lengths(lines, path)
    return lines, decoded
