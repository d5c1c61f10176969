"""The example finder and the example checks can fail: an example cannot hide (no tag, an
unknown tag, a stray or unknown marker, an unknown command), and a result that is an error
or nothing fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.examples import NOT_RUN, check_result, commands, is_document, scan, synopsis

FENCE = "```"


def _scan(tmp_path: Path, text: str) -> tuple[list[str], list[str]]:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    examples, problems = scan(page)
    return [f"{e.line} {e.tag}" for e in examples], [
        f"{p.where.removeprefix(f'{tmp_path}/')}: {p.what}" for p in problems
    ]


def test_blocks_and_inline_documents_are_found_with_their_lines_and_markers(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Count them: `{ companies { totalCount } }`, not `{id: key}` (Cypher).\n\n"
        '<!-- example: variables {"id": "demo:person:lina"} -->\n\n'
        '<!-- example: replace {"co_…": "demo:company:beichen"} -->\n'
        f"{FENCE}graphql\nquery ($id: ID!) {{ person(id: $id) {{ name }} }}\n{FENCE}\n\n"
        "<!-- example: expect-error NOT_FOUND -->\n"
        f"{FENCE}sh\ncurl -d '{{}}' \\\n  http://127.0.0.1:8000/graphql  # a comment\n{FENCE}\n",
        encoding="utf-8",
    )
    examples, problems = scan(page)
    assert problems == []
    assert [(e.line, e.tag, e.inline) for e in examples] == [
        (1, "graphql", True),
        (6, "graphql", False),
        (11, "sh", False),
    ]
    assert examples[0].text == "{ companies { totalCount } }"
    assert examples[1].markers.variables == {"id": "demo:person:lina"}
    assert examples[1].markers.replace == {"co_…": "demo:company:beichen"}
    assert examples[2].markers.expect_error == "NOT_FOUND"
    [curl] = commands(examples[2])
    assert (curl.line, curl.program, curl.words[-1]) == (
        12,
        "curl",
        "http://127.0.0.1:8000/graphql",
    )


def test_graphql_without_its_tag_fails(tmp_path: Path) -> None:
    _, problems = _scan(tmp_path, f"{FENCE}\n{{ companies {{ totalCount }} }}\n{FENCE}\n")
    assert problems == ["page.md:1: a block tagged '' that looks like GraphQL: tag it"]
    _, problems = _scan(tmp_path, f"{FENCE}\nquery ($id: ID!) {{ broken(\n{FENCE}\n")
    assert problems == ["page.md:1: a block tagged '' that looks like GraphQL: tag it"]
    _, problems = _scan(tmp_path, f"{FENCE}\nINFO guanxi started\n{FENCE}\n")
    assert problems == []
    _, problems = _scan(tmp_path, "Indented:\n\n    { companies { totalCount } }\n")
    assert problems == ["page.md:3: an indented block that looks like GraphQL: fence it"]
    _, problems = _scan(tmp_path, "Indented:\n\n    score = value x coverage\n")
    assert problems == []
    _, problems = _scan(tmp_path, "With curl: `curl -H 'Content-Type:\napplication/json'`.\n")
    assert problems == ["page.md:1: curl in inline code: put it in a sh block"]


def test_an_unknown_tag_a_stray_marker_and_a_bad_directive_fail(tmp_path: Path) -> None:
    _, problems = _scan(tmp_path, f"{FENCE}gql\n{{ a }}\n{FENCE}\n")
    assert problems == ["page.md:1: a block tagged 'gql': teach tests/docs"]
    _, problems = _scan(tmp_path, "<!-- example: expect-error NOT_FOUND -->\nprose\n")
    assert problems == ["page.md:1: a marker not followed by a code block"]
    _, problems = _scan(tmp_path, f"<!-- example: ignore this -->\n{FENCE}json\n{{}}\n{FENCE}\n")
    assert problems == ["page.md:2: unknown marker directive 'ignore'"]
    _, problems = _scan(tmp_path, f"<!-- example: variables [1] -->\n{FENCE}json\n{{}}\n{FENCE}\n")
    assert problems == ["page.md:2: variables: not a JSON object"]


def test_commands_are_classified_and_synopses_made_runnable(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        f"{FENCE}sh\n"
        '.venv/bin/python -m seed export DIR [--format csv|jsonl] [--by "crm sync"]\n'
        "python -m benchmarks.load --people 3000\n"
        "0 3 * * *  cd /srv && python -m seed backup b.zip\n"
        "make run   # the server\n"
        "rm -rf data\n"
        f"{FENCE}\n",
        encoding="utf-8",
    )
    [block], _ = scan(page)
    found = commands(block)
    assert [c.program for c in found] == ["seed", "benchmarks", "crontab", "make", "rm"]
    assert "rm" not in NOT_RUN  # so test_no_example_hides reports it
    assert synopsis(found[0].words)[3:] == ["export", "DIR", "--format", "csv", "--by", "crm sync"]


def test_an_inline_document_is_one_that_parses_and_starts_unaliased() -> None:
    assert is_document("{ __typename }")
    assert is_document("query { companies(first: 5) { nodes { name } } }")
    assert not is_document("{id: key}")  # a Cypher map
    assert not is_document("orgChart(companyId) { roots }")
    assert not is_document("{ a } fragment F on Query { b }")


@pytest.mark.parametrize(
    "body",
    [
        {"errors": [{"message": "no", "extensions": {"code": "NOT_FOUND"}}], "data": None},
        {"data": None},
        {"data": {"person": None}},
        {"data": {"people": {"nodes": []}}},
        {"data": {"companies": {"totalCount": 0, "nodes": []}}},
        {"data": {"topReferrers": [{"rank": 1, "party": {"name": "x"}}, {"rank": 2, "party": {}}]}},
        {"data": {"importRecords": {"refused": False, "problems": [{"line": 1}]}}},
    ],
    ids=[
        "errors",
        "no data",
        "null",
        "no nodes",
        "zero and no nodes",
        "an empty object",
        "an import's problems",
    ],
)
def test_a_result_that_is_an_error_or_nothing_fails(body: dict[str, object]) -> None:
    with pytest.raises(AssertionError):
        check_result(body, None, "page.md:1")


def test_an_expected_error_must_come() -> None:
    refused = {"errors": [{"message": "no", "extensions": {"code": "BAD_USER_INPUT"}}]}
    check_result(refused, "BAD_USER_INPUT", "page.md:1")
    with pytest.raises(AssertionError):
        check_result(refused, "NOT_FOUND", "page.md:1")
    with pytest.raises(AssertionError):
        check_result({"data": {"person": {"name": "李娜"}}}, "NOT_FOUND", "page.md:1")
    check_result({"data": {"person": {"name": "李娜"}}}, None, "page.md:1")
