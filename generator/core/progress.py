"""What a long build shows while it runs, and how long each stage took (``--verbose``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Progress:
    """Reports stages and steps through ``echo``; keeps each stage's duration."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.echo = echo or (lambda line: None)
        self.timings: dict[str, float] = {}
        """Seconds spent in each stage, in the order they ran."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Announce a stage and time it."""
        self.echo(f"{name}...")
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    def step(self, done: int, total: int, what: str) -> None:
        """One step of a stage done, e.g. one PDF of many."""
        self.echo(f"  [{done}/{total}] {what}")

    def summary(self) -> list[str]:
        """One line per stage with its time, and the total."""
        width = max((len(name) for name in self.timings), default=0)
        lines = [f"{name:<{width}}  {seconds:6.2f} s" for name, seconds in self.timings.items()]
        lines.append(f"{'total':<{width}}  {sum(self.timings.values()):6.2f} s")
        return lines
