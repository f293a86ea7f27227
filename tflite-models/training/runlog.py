"""The trainers' log: each line time-stamped (UTC), printed and appended to a file."""
from __future__ import annotations

import pathlib
import time


class Log:
    """Prints and appends to ``path`` (``OUT/train_log.txt`` for the trainers)."""

    def __init__(self, path: pathlib.Path):
        self.path = path

    def __call__(self, message: str):
        line = f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {message}"
        print(line, flush=True)
        with open(self.path, "a") as f:
            f.write(line + "\n")
