"""What `gxcrawl parse` reads: regular files only, directories as the files inside, names shown
on one line whatever they hold.

* a FIFO, socket or device is never opened for reading (a FIFO with no writer would block
  for ever): it is opened non-blocking, checked with fstat, and refused with a one-line reason;
* a directory stands for every regular file below it (sorted; symlinked directories are not
  followed); an empty one is an input of its own that failed;
* a name holding a newline, a tab, another control character or bytes that are not UTF-8 is
  quoted, so one input is always one line.

>>> shown("report.html"), shown("三明 2019.html"), shown("a\\nb.html")
('report.html', '三明 2019.html', '"a\\\\nb.html"')
"""
from __future__ import annotations

import os
import stat
import sys
from typing import Iterator

CHUNK = 1 << 20


class InputError(OSError):
    """An input that is not a readable regular file; `reason` is the one-line why."""

    def __init__(self, reason: str, code: int = 2):
        super().__init__(reason)
        self.reason, self.code = reason, code


def shown(name: str) -> str:
    """The name as printed in a summary or error line: as it is when plain, else in double
    quotes with backslash escapes (\\n, \\t, \\xNN for a byte that is not UTF-8, \\uNNNN).

    >>> shown('tab\\there'), shown(' lead'), shown('\\udcff.pdf'), shown('"q".html')
    ('"tab\\\\there"', '" lead"', '"\\\\xff.pdf"', '"\\\\"q\\\\".html"')
    """
    if name and name.isprintable() and name == name.strip() and not name.startswith('"'):
        return name
    return '"' + "".join(_escape(ch) for ch in name) + '"'


def _escape(ch: str) -> str:
    if ch in '"\\':
        return "\\" + ch
    if ch.isprintable() and ch != "\u00a0":
        return ch
    special = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if ch in special:
        return special[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:                 # a byte os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def expand(names: list[str]) -> Iterator[tuple[str, str | None]]:
    """(name, None) for each input to read — a directory's files in its place, sorted — and
    (name, reason) for a directory that holds no file (an input too: it gets its record).

    >>> list(expand(["-"]))
    [('-', None)]
    """
    for name in names:
        if name == "-" or not os.path.isdir(name):
            yield name, None
            continue
        found = False
        for root, dirs, files in os.walk(name):     # symlinked directories inside are not followed
            dirs.sort()
            for file in sorted(files):
                found = True
                yield os.path.join(root, file), None
        if not found:
            yield name, "a directory holding no file"


def kind_of(mode: int) -> str:
    """What a non-regular file is, for the message.

    >>> kind_of(stat.S_IFIFO), kind_of(stat.S_IFDIR)
    ('a FIFO', 'a directory')
    """
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return what
    return "not a regular file"


def read_input(name: str, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a regular file (or of stdin for '-'); InputError otherwise."""
    if name == "-":
        return sys.stdin.buffer.read(limit + 1)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"not a regular file ({kind_of(mode)}): not read")
        os.set_blocking(fd, True)
        parts, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(CHUNK, limit + 1 - size))
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts)
    except InputError:
        raise
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
