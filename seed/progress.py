"""Progress bars for long loads: a bar per kind of row, with its rate and the time left (rich).

with KindProgress({"people.csv": 100_000, "relationships.csv": 1_000_000}) as bars:
    bars.advance("people.csv", 5_000)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Rows a second, over the last few updates (the whole run's once the bar is full)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:>9,.0f}/s", style="progress.data.speed")


class KindProgress:
    """One bar per kind, in the order given; a kind's bar starts its clock at its first rows."""

    def __init__(self, totals: Mapping[str, int], console: Console | None = None) -> None:
        width = max((len(name) for name in totals), default=8)
        self._progress = Progress(
            TextColumn(f"{{task.description:<{width}}}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
        )
        self._tasks: dict[str, TaskID] = {
            name: self._progress.add_task(name, total=total, start=False)
            for name, total in totals.items()
        }

    def __enter__(self) -> KindProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def advance(self, name: str, rows: int) -> None:
        """Count `rows` more of kind `name` (a kind not given at the start gets a bar now)."""
        task = self._tasks.get(name)
        if task is None:
            task = self._tasks[name] = self._progress.add_task(name, total=None)
        if not self._progress.tasks[task].started:
            self._progress.start_task(task)
        self._progress.advance(task, rows)
