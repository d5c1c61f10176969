"""The benchmark report: a heading (scale, machine, date) and a list of sections, each a title,
a table and notes, printed to the terminal and written as Markdown."""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Section:
    """One table of the report, with notes under it."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    intro: str = ""


@dataclass(frozen=True)
class Target:
    """A target of the issue, as measured: met or missed, by how much, and why."""

    name: str
    measured: str
    met: bool | None  # None: the target does not apply
    note: str = ""

    @property
    def verdict(self) -> str:
        return "n/a" if self.met is None else "met" if self.met else "**missed**"


@dataclass
class Report:
    title: str
    facts: list[tuple[str, str]]
    command: str
    sections: list[Section] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"# {self.title}", "", "```sh", self.command, "```", ""]
        lines += [f"- **{name}**: {value}" for name, value in self.facts]
        for section in self.sections:
            lines += ["", f"## {section.title}", ""]
            if section.intro:
                lines += [section.intro, ""]
            if section.rows:
                lines.append("| " + " | ".join(section.columns) + " |")
                lines.append("|" + "|".join("---" for _ in section.columns) + "|")
                lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in section.rows]
            if section.notes:
                lines.append("")
                lines += [f"- {note}" for note in section.notes]
        return "\n".join(lines) + "\n"

    def text(self) -> str:
        """The report for a terminal: tables aligned, or one block per row when too wide."""
        lines = [self.title, "=" * len(self.title)]
        lines += [f"{name}: {_plain(value)}" for name, value in self.facts]
        for section in self.sections:
            lines += ["", section.title, "-" * len(section.title)]
            if section.intro:
                lines.append(_plain(section.intro))
            lines += _table(section.columns, [[_plain(c) for c in r] for r in section.rows])
            lines += [f"* {_plain(note)}" for note in section.notes]
        return "\n".join(lines) + "\n"

    def write(self, path: Path) -> None:
        path.write_text(self.markdown())


def targets_section(targets: list[Target]) -> Section:
    return Section(
        title="Targets",
        columns=["target", "measured", "", "by how much, and why"],
        rows=[[t.name, t.measured, t.verdict, t.note or "-"] for t in targets],
    )


def _plain(value: str) -> str:
    return value.replace("**", "").replace("`", "")


def _table(columns: list[str], rows: list[list[str]], width: int = 140) -> list[str]:
    if not rows:
        return []
    widths = [max(len(x) for x in column) for column in zip(columns, *rows, strict=True)]
    if sum(widths) + 2 * len(widths) > width:
        lines = []
        for row in rows:
            lines.append(row[0])
            lines += [f"    {c}: {v}" for c, v in zip(columns[1:], row[1:], strict=True) if v]
        return lines
    lines = []
    for index, row in enumerate([columns, *rows]):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def machine() -> str:
    """Cores, memory (from /proc/meminfo), CPU model and Python."""
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({model}), {memory} memory, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def ratio(value: float) -> str:
    return f"{value:.2f}x"
