"""GBVS's own files are readable by their owner only (issue 8, finding 7).

The data folder holds the operational database (password hashes, the audit log), the session-cookie
key, the analytical store, forecasts, reports and the download cache. Three rules keep them private:

- :func:`restrict_new_files` sets the process umask to 077 at start (the ``gbvs`` command and the web
  server's worker processes), so every file GBVS or its libraries create is 0600 and every folder 0700.
- :func:`create_private_file` makes an empty file 0600 before a library opens it (the SQLite database;
  SQLite gives its -wal and -shm files the database file's mode).
- :func:`secure_data_dir` creates the data folder 0700 and tightens an existing one (and everything in
  it) that others could read, returning what it changed; it logs what it did in :func:`gbvs.errors.said`
  words, which the command line shows in the reader's language.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

from gbvs.errors import Said, Words, said

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600
log = logging.getLogger("gbvs")


def restrict_new_files() -> None:
    """From now on this process creates files 0600 and folders 0700."""
    os.umask(PRIVATE_UMASK)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def secure_data_dir(folder: Path) -> list[Path]:
    """Create ``folder`` 0700, or take group and other access away from it and its contents.

    Returns the paths whose mode changed; logs one warning naming them, or naming what could not be
    changed and the command that would.
    """
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    changed: list[Path] = []
    refused: list[Path] = []
    for path in _tree(folder):
        try:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not mode & 0o077:
                continue
            path.chmod(stat.S_IMODE(mode) & 0o700)
            changed.append(path)
        except FileNotFoundError:  # another process's temporary file, gone meanwhile
            continue
        except OSError:
            refused.append(path)
    if changed:
        _warn(
            said(
                "GBVS data folder %(folder)s was readable by other users; took their access away from "
                "%(count)s path(s): %(paths)s",
                folder=folder,
                count=len(changed),
                paths=", ".join(str(path.relative_to(folder.parent)) for path in changed[:10]),
            )
        )
    if refused:
        _warn(
            said(
                "GBVS data folder %(folder)s: %(count)s path(s) stay readable by other users and could not "
                "be changed (not yours?), e.g. %(path)s; run `chmod -R go= %(folder)s` as their owner",
                folder=folder,
                count=len(refused),
                path=refused[0],
            )
        )
    return changed


def _warn(words: Words) -> None:
    """Log ``words`` as a warning: its English text, and the words themselves (a :class:`Said`) for a
    handler that says them in the reader's language (the command line's, :mod:`gbvs.cli.main`)."""
    log.warning(Said.of(words))


def _tree(folder: Path) -> list[Path]:
    found = [folder]
    for root, dirs, files in os.walk(folder):
        found += [Path(root, name) for name in (*dirs, *files)]
    return found
