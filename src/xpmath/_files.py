"""Result files written whole or not at all.

A benchmark that crashes or is interrupted while writing its JSON, its plot or the tuned crossovers
must not leave a half-written file under the name a complete one would have: each is written to a
temporary name in the same directory (``.NAME.*.part``), flushed to the disk, and only then renamed
over ``NAME`` (``os.replace``, atomic on one filesystem). On any error, ``KeyboardInterrupt``
included, the temporary file is removed and ``NAME`` is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import IO


@contextlib.contextmanager
def replacing(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    """A file object to write ``path``'s new content to; ``path`` gets it only when the block ends
    without an error.

    Parameters
    ----------
    path : str or path-like
        The file to write; its directory is created if missing.
    mode : {"w", "wb"}
        Text (UTF-8) or binary.

    Yields
    ------
    file object
        The temporary file, open for writing.

    Examples
    --------
    >>> import os, tempfile
    >>> from xpmath._files import replacing
    >>> p = os.path.join(tempfile.mkdtemp(), "r.txt")
    >>> with replacing(p) as f:
    ...     _ = f.write("done")
    >>> open(p).read()
    'done'
    """
    path = os.path.abspath(os.fspath(path))
    folder, name = os.path.split(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with open(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the rename itself on the disk (not every filesystem allows it)
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (see :func:`replacing`)."""
    with replacing(path) as f:
        f.write(text)
