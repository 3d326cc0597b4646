"""The ``gbvs`` log's warnings in the reader's language, for the command line and the web's workers alike.

A warning logged as :class:`gbvs.errors.Said` words (the data folder tightened, :mod:`gbvs.filemodes`)
is written in the words of the reader's language; any other warning as it was logged, as Python's
last-resort handler would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from gbvs.errors import Said, Words

LOGGER = "gbvs"


class WarningsInWords(logging.Handler):
    """Writes the log's warnings with ``write``; one logged in :class:`Said` words as ``say`` says them."""

    def __init__(self, say: Callable[[Words], str], write: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.say = say
        self.write = write

    def emit(self, record: logging.LogRecord) -> None:
        try:
            words = record.msg.words if isinstance(record.msg, Said) and not record.args else None
            self.write(record.getMessage() if words is None else self.say(words))
        except Exception:
            self.handleError(record)
