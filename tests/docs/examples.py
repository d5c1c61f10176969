"""Finding the examples of README.md and docs/*.md, and the small marker language that tells
tests/docs/test_examples.py how to run one.

An example is
- a fenced block tagged `graphql` (one or several operations), or an inline code span that is
  a whole GraphQL document (`{ companies { totalCount } }`);
- a fenced block tagged `sh`, `bash` or `shell`: each command in it is a `curl` call, a
  `python -m seed …` command (both run), or a command the test knows it does not run
  (`NOT_RUN`: make, docker, neo4j-admin, benchmarks, crontab lines); any other command fails;
- a fenced block tagged `python` (run as a script);
- a fenced block tagged `json`: it must parse, and one holding a `query` is a GraphQL request
  body, run as such.
Untagged blocks and those tagged as text (TEXT) are not run, and fail when they look like
GraphQL; a block with any other tag fails.

Markers are HTML comments on the lines just before a block (blank lines between allowed),
invisible on GitHub:

    <!-- example: variables {"id": "demo:person:lina"} -->
    <!-- example: replace {"co_…": "demo:company:beichen"} -->
    <!-- example: expect-error BAD_USER_INPUT -->

- `variables`: a JSON object sent as the operation's variables;
- `replace`: text replaced in the block before it runs (a placeholder id in a query or a
  command);
- `expect-error CODE`: the example must fail, with an error of that `extensions.code`
  (and fails the test if it succeeds).
In `variables` and `replace`, a string `demo:company:KEY`, `demo:person:KEY` or
`demo:relationships:KEY` (a key of seed/demo.json) stands for the Guanxi id of that demo item.
An unknown directive, or a marker with no block after it, fails.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import FieldNode, GraphQLSyntaxError, OperationDefinitionNode, parse

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ("README.md", "docs/*.md")

GRAPHQL = "graphql"
SHELL = frozenset({"sh", "bash", "shell"})
PYTHON = "python"
JSON = "json"
# blocks that are never run: untagged (log lines, diagrams, file headers) and these tags; each
# is checked not to look like GraphQL. Any other tag fails until the test is taught it.
# `ts`: a client's own build configuration (docs/TRUSTED_DOCUMENTS.md), not a call to the API;
# one that holds GraphQL still fails test_no_example_hides
TEXT = frozenset({"", "text", "csv", "jsonl", "diff", "ts"})
KNOWN_TAGS = frozenset({GRAPHQL, PYTHON, JSON, *TEXT, *SHELL})

DIRECTIVES = frozenset({"variables", "replace", "expect-error"})
_MARKER = re.compile(r"^\s*<!--\s*example:\s*(?P<directive>[\w-]+)\s*(?P<arg>.*?)\s*-->\s*$")
_FENCE = re.compile(r"^(?P<indent>\s{0,3})(?P<fence>```+|~~~+)\s*(?P<tag>[\w+-]*)")
_INLINE = re.compile(r"(?<!`)`(?P<code>[^`\n]+)`(?!`)")
_GRAPHQL_START = re.compile(r"^\s*(query|mutation|subscription|fragment)\b|^\s*\{\s*\w")

# Shell commands the test does not run, by their program, and why.
NOT_RUN: dict[str, str] = {
    "make": "a make target (make test runs this very test)",
    "docker": "needs Docker and a Neo4j server",
    "export": "sets environment variables for Neo4j",
    "neo4j-admin": "Neo4j's own tool, on a Neo4j server",
    "bin/neo4j-admin": "Neo4j's own tool, on a Neo4j server",
    "benchmarks": "a benchmark script (minutes to hours), run by make bench",
    "crontab": "a crontab line (its command is the backup example above it)",
}


@dataclass(frozen=True)
class Markers:
    """What the comments before an example say."""

    variables: dict[str, Any] = field(default_factory=dict[str, Any])
    replace: dict[str, str] = field(default_factory=dict[str, str])
    expect_error: str | None = None


@dataclass(frozen=True)
class Example:
    """One example: where it is, its kind (a fence's tag, or "graphql" for an inline
    document), its text and its markers."""

    path: Path
    line: int
    tag: str
    text: str
    markers: Markers
    inline: bool = False

    @property
    def id(self) -> str:
        """file:line of its opening fence (or of its line, inline), the file from the root."""
        return self.at(self.line)

    def at(self, line: int) -> str:
        """file:line of a line of this example's file (a command of a shell block)."""
        return f"{_relative(self.path)}:{line}"

    @property
    def runs(self) -> bool:
        """Whether the test runs something of it: not a shell block of NOT_RUN commands only."""
        return self.tag not in SHELL or any(c.program not in NOT_RUN for c in commands(self))


def _relative(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


@dataclass(frozen=True)
class Problem:
    """Something in a document that would let an example hide from the test."""

    where: str
    what: str


def documents(root: Path = ROOT) -> list[Path]:
    """README.md and docs/*.md, in that order."""
    found: list[Path] = []
    for pattern in DOCUMENTS:
        found.extend(sorted(root.glob(pattern)))
    return found


def _markers(lines: list[str], where: str, problems: list[Problem]) -> Markers:
    variables: dict[str, Any] = {}
    replace: dict[str, str] = {}
    expect_error: str | None = None
    for text in lines:
        found = _MARKER.match(text)
        assert found is not None
        directive, arg = found["directive"], found["arg"]
        if directive not in DIRECTIVES:
            problems.append(Problem(where, f"unknown marker directive {directive!r}"))
        elif directive == "expect-error":
            if not re.fullmatch(r"[A-Z_]+", arg):
                problems.append(Problem(where, f"expect-error needs an error code, not {arg!r}"))
            expect_error = arg
        else:
            try:
                value = json.loads(arg)
            except json.JSONDecodeError as exc:
                problems.append(Problem(where, f"{directive}: not JSON ({exc})"))
                continue
            if not isinstance(value, dict):
                problems.append(Problem(where, f"{directive}: not a JSON object"))
                continue
            if directive == "variables":
                variables.update(value)
            else:
                replace.update({str(k): str(v) for k, v in value.items()})  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
    return Markers(variables, replace, expect_error)


def looks_like_graphql(text: str) -> bool:
    """Text that is, or is meant to be, a GraphQL document."""
    if _GRAPHQL_START.match(text):
        return True
    try:
        parse(text)
    except GraphQLSyntaxError:
        return False
    return True


def is_document(code: str) -> bool:
    """An inline code span that is a whole executable GraphQL document (that does not start
    with an alias)."""
    if not _GRAPHQL_START.match(code):
        return False
    try:
        document = parse(code)
    except GraphQLSyntaxError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != len(document.definitions):
        return False
    # a Cypher map in prose (`{id: key}`) parses too, as an alias: documents start unaliased
    first = operations[0].selection_set.selections[0]
    return not (isinstance(first, FieldNode) and first.alias is not None)


def scan(path: Path) -> tuple[list[Example], list[Problem]]:
    """The examples of one Markdown file, in document order, and its problems."""
    lines = path.read_text(encoding="utf-8").splitlines()
    examples: list[Example] = []
    problems: list[Problem] = []
    pending: list[str] = []  # marker lines waiting for their block
    pending_at = 0
    i = 0
    rel = _relative(path)
    while i < len(lines):
        text = lines[i]
        fence = _FENCE.match(text)
        if _MARKER.match(text):
            if not pending:
                pending_at = i + 1
            pending.append(text)
            i += 1
            continue
        if fence:
            closing = fence["fence"]
            tag = fence["tag"].lower()
            body: list[str] = []
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(closing):
                body.append(lines[j])
                j += 1
            where = f"{rel}:{i + 1}"
            indent = len(fence["indent"])
            block = "\n".join(b[indent:] if b[:indent].isspace() else b for b in body)
            markers = _markers(pending, where, problems)
            pending = []
            if tag not in KNOWN_TAGS:
                problems.append(Problem(where, f"a block tagged {tag!r}: teach tests/docs"))
            elif tag in TEXT:
                if looks_like_graphql(block):
                    problems.append(
                        Problem(where, f"a block tagged {tag!r} that looks like GraphQL: tag it")
                    )
            else:
                examples.append(Example(path, i + 1, tag, block, markers))
            i = j + 1
            continue
        if text.strip() and pending:
            problems.append(Problem(f"{rel}:{pending_at}", "a marker not followed by a code block"))
            pending = []
        if "`curl " in text:
            problems.append(Problem(f"{rel}:{i + 1}", "curl in inline code: put it in a sh block"))
        if text.startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            # an indented code block (or a list item's paragraph): not run, so not GraphQL
            end = i
            while end < len(lines) and lines[end].startswith("    "):
                end += 1
            if looks_like_graphql("\n".join(lines[i:end])):
                problems.append(
                    Problem(f"{rel}:{i + 1}", "an indented block that looks like GraphQL: fence it")
                )
        for span in _INLINE.finditer(text):
            if is_document(span["code"]):
                examples.append(Example(path, i + 1, GRAPHQL, span["code"], Markers(), inline=True))
        i += 1
    if pending:
        problems.append(Problem(f"{rel}:{pending_at}", "a marker not followed by a code block"))
    return examples, problems


def all_examples(root: Path = ROOT) -> tuple[list[Example], list[Problem]]:
    """Every example of the documents, in document order, and every problem found."""
    examples: list[Example] = []
    problems: list[Problem] = []
    for path in documents(root):
        found, wrong = scan(path)
        examples.extend(found)
        problems.extend(wrong)
    return examples, problems


@dataclass(frozen=True)
class Command:
    """One command of a shell block: its line, its text (continuations joined) and words."""

    line: int
    text: str  # as written, continuation lines and all: what a shell is given
    words: list[str]

    @property
    def program(self) -> str:
        """What runs: `curl`, `seed` (python -m seed), or a key of NOT_RUN; else the first
        word as written."""
        words = self.words
        if re.fullmatch(r"[\d*/,-]+", words[0]) and len(words) > 5:
            return "crontab"
        if Path(words[0]).name.startswith("python") and len(words) > 2 and words[1] == "-m":
            module = words[2].split(".")[0]
            return module
        return words[0]


def commands(example: Example) -> list[Command]:
    """The commands of a shell block: continuation lines joined, comments dropped."""
    found: list[Command] = []
    lines = example.text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        while True:
            while lines[i].endswith("\\") and i + 1 < len(lines):
                i += 1
            i += 1
            text = "\n".join(lines[start:i])
            # shlex keeps a backslash-newline inside single quotes, as the shell does, and makes
            # one outside quotes a word of its own, where the shell joins the lines: dropped
            try:
                words = [w for w in shlex.split(text, comments=True) if w != "\n"]
                break
            except ValueError:  # a quoted string goes on to the next line, as in the shell
                if i >= len(lines):
                    raise
        if words:
            found.append(Command(example.line + 1 + start, text, words))
    return found


def synopsis(words: list[str]) -> list[str]:
    """A command written as a synopsis made runnable: `[--opt value]` taken, `a|b` the first."""
    runnable: list[str] = []
    for word in words:
        bare = word.removeprefix("[").removesuffix("]")
        if bare != word and "|" in bare:
            bare = bare.split("|")[0]
        elif bare != word:
            pass
        elif "|" in word and not word.startswith("$"):
            bare = word.split("|")[0]
        runnable.append(bare)
    return runnable


# --- what "returned nothing" means -------------------------------------------------------


def _hollow(value: Any) -> bool:
    if value is None or value == [] or value == {}:
        return True
    if isinstance(value, dict):
        return all(v in (None, [], {}, 0) for v in value.values())  # pyright: ignore[reportUnknownVariableType]
    return False


def _empty_objects(value: Any, path: str = "data") -> Iterator[str]:
    if isinstance(value, dict):
        if not value:
            yield path
        for key, item in value.items():  # pyright: ignore[reportUnknownVariableType]
            yield from _empty_objects(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
            yield from _empty_objects(item, f"{path}[{index}]")


def check_result(body: dict[str, Any], expect_error: str | None, what: str) -> None:
    """A GraphQL result is data, all of it something (or the error the example expects)."""
    errors = body.get("errors")
    if expect_error is not None:
        codes = {(e.get("extensions") or {}).get("code") for e in errors or []}
        assert expect_error in codes, f"{what}: expected an error {expect_error}, got {body}"
        return
    assert not errors, f"{what}: errors {errors}"
    data = body.get("data")
    assert data, f"{what}: no data in {body}"
    for name, value in data.items():
        assert not _hollow(value), f"{what}: {name} returned nothing: {value!r}"
    empty = list(_empty_objects(data))
    assert not empty, f"{what}: empty objects (a fragment that matched nothing?) at {empty}"
    reported = list(_reported_problems(data))
    assert not reported, f"{what}: the answer reports bad input: {reported}"


def _reported_problems(value: Any, path: str = "data") -> Iterator[str]:
    """Failures an answer reports as data: an import's `problems` and `refused`."""
    if isinstance(value, dict):
        for key, item in value.items():  # pyright: ignore[reportUnknownVariableType]
            if (key == "problems" and item) or (key == "refused" and item is True):
                yield f"{path}.{key}: {item!r}"
            else:
                yield from _reported_problems(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
            yield from _reported_problems(item, f"{path}[{index}]")
