"""Progress bars for the long steps of `pamper seed`: done / total, rate and time left, on stderr.

Drawn with rich, and only on a terminal: in a pipe, a log file or a test
(and with --verbosity 0) every bar is a no-op, so the command's own lines on
stdout stay the whole record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

Advance = Callable[[int], None]


def _ignore(_: int) -> None:
    return None


class RateColumn(ProgressColumn):
    """'1,234 venues/s' (rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        unit = task.fields.get("unit", "")
        return Text(f"{speed:,.0f} {unit}/s" if speed else f"- {unit}/s", style="progress.data.speed")


class Bars:
    """One bar per step; `step()` gives the function that advances it."""

    def __init__(self, *, enabled: bool = True, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = enabled and self.console.is_terminal

    @contextlib.contextmanager
    def step(self, description: str, total: int | None, unit: str) -> Iterator[Advance]:
        """A bar for `total` units (a spinner with the elapsed time when the total is unknown)."""
        if not self.enabled:
            yield _ignore
            return
        if total is None:
            columns: tuple[ProgressColumn, ...] = (SpinnerColumn(), TextColumn("{task.description}"),
                                                   TimeElapsedColumn())
        else:
            columns = (TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                       TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
        with Progress(*columns, console=self.console, transient=False) as bar:
            task = bar.add_task(description, total=total, unit=unit)
            yield lambda n: bar.advance(task, n)
