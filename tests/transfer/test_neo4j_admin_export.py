"""The neo4j-admin export: files whose headers follow `neo4j-admin database import full`'s
grammar, read back here as that tool reads them (RFC 4180 cells, a quoted "" an empty string,
an empty cell no property, values by their header's type) and compared with the graph read
on its own (graph/cypher/transfer/neo4j_admin.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import neo4j.time
import pytest

from graph.core import figures, kinds, writes
from graph.core.inputs import Fields
from graph.core.models import PersonTier, to_datetime
from graph.cypher.transfer import neo4j_admin as statements
from graph.db.connection import Graph
from graph.transfer import neo4j_admin
from graph.transfer.exporter import ExportFormat, neighbourhood, whole_graph, write_export
from graph.transfer.neo4j_admin import ARRAY_DELIMITER, Column, ExportError, cell
from seed.demo import load_demo
from tests import factories
from tests.transfer.test_export import _build

DOC = Path(__file__).resolve().parents[2] / "docs" / "IMPORT_EXPORT.md"

# The header grammar of neo4j-admin's CSV import (Operations Manual, "Import header format"):
# `<name>:<field_type>`, field types ID, START_ID and END_ID with an optional (id space),
# LABEL, TYPE, IGNORE, or a property type with `[]` for an array; options in {…} after it.
_PROPERTY_TYPES = (
    "int|long|float|double|boolean|byte|short|char|string|point|date|localtime|time"
    "|localdatetime|datetime|duration"
)
_ENTRY = re.compile(
    r"^(?P<name>[^:(){}]*)"
    r"(?::(?:(?P<field>ID|START_ID|END_ID)(?:\((?P<space>[^()]+)\))?"
    r"|(?P<special>LABEL|TYPE|IGNORE)"
    rf"|(?P<type>{_PROPERTY_TYPES})(?P<array>\[\])?))?"
    r"(?:\{[^{}]*\})?$"
)


@dataclass(frozen=True)
class Entry:
    name: str
    field: str  # ID, START_ID, END_ID, LABEL, TYPE, IGNORE, or "" for a property
    space: str | None
    type: str  # a property's (string without one)
    array: bool


def parse_header(line: list[str], *, nodes: bool) -> list[Entry]:
    """A header as neo4j-admin parses it; AssertionError where it breaks the grammar or the
    rules of a node or relationship file."""
    entries: list[Entry] = []
    for raw in line:
        found = _ENTRY.match(raw)
        assert found, f"not a header entry: {raw!r}"
        field = found["field"] or found["special"] or ""
        type_ = found["type"] or "string"
        entries.append(Entry(found["name"], field, found["space"], type_, bool(found["array"])))
    fields = Counter(e.field for e in entries if e.field)
    properties = [e.name for e in entries if not e.field]
    assert all(properties), f"a property without a name: {line}"
    assert len(properties) == len(set(properties)), f"a property named twice: {line}"
    if nodes:
        assert fields["ID"] == 1 and fields["LABEL"] <= 1, line
        assert not {"START_ID", "END_ID", "TYPE"} & set(fields), line
        (id_entry,) = [e for e in entries if e.field == "ID"]
        assert id_entry.name not in properties, line
    else:
        assert fields["START_ID"] == fields["END_ID"] == fields["TYPE"] == 1, line
        assert not {"ID", "LABEL"} & set(fields), line
        assert all(not e.name for e in entries if e.field in ("START_ID", "END_ID", "TYPE"))
    return entries


def rows(text: str) -> Iterator[list[tuple[str, bool]]]:
    """RFC 4180 rows (a quote inside quotes doubled, line breaks inside quotes kept), each
    cell with whether it was quoted: neo4j-admin reads an empty unquoted cell as no value."""
    assert text.endswith("\n"), "a file ends with a line break"
    row: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            parts: list[str] = []
            i += 1
            while True:
                close = text.index('"', i)
                parts.append(text[i:close])
                if text.startswith('""', close):
                    parts.append('"')
                    i = close + 2
                else:
                    i = close + 1
                    break
            value, quoted = "".join(parts), True
        else:
            end = min(j for j in (text.find(",", i), text.find("\n", i), len(text)) if j >= 0)
            value, quoted = text[i:end], False
            assert '"' not in value, f"a quote inside an unquoted cell: {value!r}"
            assert "\r" not in value, f"a carriage return outside quotes: {value!r}"
            i = end
        row.append((value, quoted))
        assert i < len(text) and text[i] in ",\n", f"text after a closing quote at {i}"
        if text[i] == "\n":
            yield row
            row = []
        i += 1


_ABSENT = object()


def _scalar(type_: str, text: str) -> Any:
    if type_ == "string":
        return text
    if type_ in ("long", "int"):
        return int(text)
    if type_ in ("double", "float"):
        return float(text)
    if type_ == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    if type_ == "date":
        return dt.date.fromisoformat(text)
    if type_ == "datetime":
        stamp = dt.datetime.fromisoformat(text)
        assert stamp.tzinfo is not None, f"a datetime without its offset: {text}"
        return stamp
    raise AssertionError(f"a type the export does not write: {type_}")


def value(entry: Entry, text: str, quoted: bool) -> Any:
    """A cell's value as neo4j-admin stores it under `entry`."""
    if not text and not quoted:
        return _ABSENT
    if entry.array:
        return [_scalar(entry.type, item) for item in text.split(ARRAY_DELIMITER)]
    if entry.type != "string":
        assert not quoted or entry.field, f"{entry.name}: a quoted {entry.type}"
    return _scalar(entry.type, text)


@dataclass
class Read:
    """The files as neo4j-admin would load them."""

    nodes: dict[tuple[str, str], dict[str, Any]]  # (id space, id) -> label and properties
    edges: Counter[tuple[Any, ...]]  # (type, start space, start, end space, end, properties)
    spaces: dict[str, set[str]]
    references: list[tuple[str, str, str]]  # (file, id space, id)


def read_files(files: dict[str, str]) -> Read:
    read = Read({}, Counter(), {}, [])
    for name, text in files.items():
        header, *data = list(rows(text))
        assert all(not quoted for _, quoted in header), f"{name}: a quoted header"
        nodes = name.startswith("nodes-")
        entries = parse_header([cell_text for cell_text, _ in header], nodes=nodes)
        for line in data:
            assert len(line) == len(entries), f"{name}: {line}"
            props: dict[str, Any] = {}
            special: dict[str, tuple[str, str | None]] = {}
            for entry, (text_, quoted) in zip(entries, line, strict=True):
                if entry.field in ("ID", "START_ID", "END_ID", "LABEL", "TYPE"):
                    special[entry.field] = (text_, entry.space)
                    if entry.field == "ID" and entry.name:
                        props[entry.name] = text_  # the id, stored (--id-type=string)
                    continue
                found = value(entry, text_, quoted)
                if found is not _ABSENT:
                    props[entry.name] = found
            if nodes:
                id_, space = special["ID"]
                assert space is not None, f"{name}: no id space"
                key = (space, id_)
                assert key not in read.nodes, f"{name}: {key} twice"
                read.nodes[key] = {"label": special["LABEL"][0], **props}
                read.spaces.setdefault(space, set()).add(id_)
            else:
                (start, a_space), (end, b_space) = special["START_ID"], special["END_ID"]
                assert a_space is not None and b_space is not None, name
                read.references += [(name, a_space, start), (name, b_space, end)]
                read.edges[(special["TYPE"][0], a_space, start, b_space, end, _frozen(props))] += 1
    return read


def _plain(value_: Any) -> Any:
    if isinstance(value_, neo4j.time.DateTime):
        return to_datetime(value_)
    if isinstance(value_, neo4j.time.Date):
        return value_.to_native()
    if isinstance(value_, dt.datetime):
        return to_datetime(value_)
    if isinstance(value_, list):
        return [_plain(v) for v in value_]
    return value_


def _frozen(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in props.items()))


def stored(graph: Graph) -> tuple[dict[tuple[str, str], dict[str, Any]], Counter[tuple[Any, ...]]]:
    """The graph's companies, people, deals and the edges among them, as the files must hold
    them: every property but the stored figures."""

    def props_of(found: dict[str, Any]) -> dict[str, Any]:
        return {k: _plain(v) for k, v in found.items() if k not in figures.FIGURE_KEYS}

    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    for row in graph.read(statements.EXPORTED_NODES):
        (label,) = row["labels"]
        nodes[(label, row["props"]["id"])] = {"label": label, **props_of(row["props"])}
    edges: Counter[tuple[Any, ...]] = Counter()
    for row in graph.read(statements.EXPORTED_EDGES):
        (a,), (b,) = row["startLabels"], row["endLabels"]
        ends = (a, row["startId"], b, row["endId"])
        edges[(row["type"], *ends, _frozen(props_of(row["props"])))] += 1
    return nodes, edges


class _Files(dict[str, io.StringIO]):
    def open(self, name: str) -> IO[str]:
        self[name] = io.StringIO(newline="")
        return self[name]


def export(graph: Graph, company: str | None = None) -> dict[str, str]:
    files = _Files()
    scope = whole_graph(graph) if company is None else neighbourhood(graph, company)
    counts = write_export(graph, scope, ExportFormat.NEO4J_ADMIN, files.open)
    texts = {name: handle.getvalue() for name, handle in files.items()}
    assert counts == {name: len(list(rows(t))) - 1 for name, t in texts.items()}
    return texts


def _hard_values(graph: Graph) -> None:
    """Values CSV quoting must carry: commas, quotes, line breaks, Chinese, empty strings."""
    odd = factories.company(graph, '"', industry="", region='a,b "c"\r\nd')
    quoted = factories.person(graph, '"周, 强"', notes='He said "hi",\r\nthen left; 再见 ""')
    factories.role(graph, quoted, odd, 'Chief "Everything", 总裁', department="")
    factories.knows(graph, quoted, factories.person(graph, "Ω"), 0.123456789012345, notes=",")


def test_the_files_load_as_the_graph_every_node_and_edge_once_with_its_values(
    graph: Graph,
) -> None:
    _build(graph)
    _hard_values(graph)
    files = export(graph)
    assert set(files) == {f.name for f in neo4j_admin.FILES}
    read = read_files(files)
    nodes, edges = stored(graph)
    assert read.nodes == nodes
    assert read.edges == edges
    assert sum(edges.values()) == 15 and len(nodes) == 12
    assert (
        read.nodes[("Company", next(k[1] for k in nodes if nodes[k].get("name") == '"'))][
            "industry"
        ]
        == ""
    )  # a quoted "" stays an empty string; an empty cell is no property


def _wang_knows_a_stranger(graph: Graph) -> None:
    """Wang is in Acme's neighbourhood (周强 knows him); whom he knows is not."""
    found = graph.read(statements.EXPORTED_NODES)
    (wang,) = [r["props"]["id"] for r in found if r["props"].get("name") == "Wang, Wei"]
    factories.knows(graph, wang, factories.person(graph, "Stranger"), 0.5)


def test_relationship_files_name_only_ids_of_their_id_space(graph: Graph) -> None:
    ids = _build(graph)
    _wang_knows_a_stranger(graph)
    for files in (export(graph), export(graph, ids["acme"])):
        read = read_files(files)
        for name, space, id_ in read.references:
            assert id_ in read.spaces.get(space, set()), f"{name}: {space} {id_}"


def test_a_neighbourhood_holds_the_edges_among_its_nodes(graph: Graph) -> None:
    ids = _build(graph)
    _wang_knows_a_stranger(graph)
    read = read_files(export(graph, ids["acme"]))
    people = {n["name"] for (space, _), n in read.nodes.items() if space == "Person"}
    assert people == {"周强", "李娜", "Wang, Wei"}  # not Far Away: nobody at Acme knows him
    knows = [e for e in read.edges if e[0] == "KNOWS"]
    assert len(knows) == 2 and not any(e[0] == "REFERRED" for e in read.edges)


def test_the_demo_data_with_interactions_and_versions_round_trips(graph: Graph) -> None:
    load_demo(graph)
    read = read_files(export(graph))
    nodes, edges = stored(graph)
    assert read.nodes == nodes and read.edges == edges
    knows = [dict(e[5]) for e in read.edges if e[0] == "KNOWS"]
    assert any("interactionCount" in k and "strengthRaw" in k and "version" in k for k in knows)


def test_every_system_property_has_a_type_and_the_figures_are_left_to_prepare() -> None:
    assert set(neo4j_admin.SYSTEM_TYPES) == writes.SYSTEM_KEYS - figures.FIGURE_KEYS
    assert neo4j_admin.LEFT_OUT == figures.FIGURE_KEYS
    headers = {h for f in neo4j_admin.FILES for h in f.header}
    assert {"strength:double", "since:date", "createdAt:datetime", "isOurs:boolean"} <= headers
    assert {"version:long", "searchText:string", "id:ID(Person)", ":END_ID(Company)"} <= headers


def test_a_stored_property_without_a_column_stops_the_export(graph: Graph) -> None:
    person = factories.person(graph, "李娜")
    graph.write(kinds.PERSON.statements.set, rows=[{"id": person, "props": {"nickname": "娜"}}])
    with pytest.raises(ExportError, match="nodes-Person.csv: stored properties with no column: "
                       "nickname"):  # fmt: skip
        export(graph)


def test_cells_by_type_and_arrays_joined_by_the_delimiter() -> None:
    assert cell(Column("tags", "string[]"), ["a,b", 'say "x"', "中文"]) == (
        '"a,b' + ARRAY_DELIMITER + 'say ""x""' + ARRAY_DELIMITER + '中文"'
    )
    assert cell(Column("n", "long[]"), [1, 2]) == '"1' + ARRAY_DELIMITER + '2"'
    stamp = dt.datetime(2024, 1, 31, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert cell(Column("at", "datetime"), stamp) == "2024-01-31T01:30:00+00:00"
    assert cell(Column("at", "datetime"), dt.datetime(2024, 1, 31)) == "2024-01-31T00:00:00+00:00"
    assert cell(Column("d", "date"), dt.date(2024, 1, 31)) == "2024-01-31"
    assert cell(Column("s", "double"), 0.1) == "0.1"
    assert cell(Column("b", "boolean"), False) == "false"
    for column, wrong in [
        (Column("d", "date"), dt.datetime(2024, 1, 31)),
        (Column("n", "long"), True),
        (Column("s", "string"), 3),
        (Column("tags", "string[]"), ["a" + ARRAY_DELIMITER]),
    ]:
        with pytest.raises(ExportError):
            cell(column, wrong)


def test_the_documented_command_names_every_file_the_export_writes() -> None:
    blocks = DOC.read_text(encoding="utf-8").split("```")[1::2]
    (command,) = [b for b in blocks if "bin/neo4j-admin database import full" in b]
    named = re.findall(r"--(nodes|relationships)=\$DIR/(\S+?\.csv)", command)
    assert sorted(named) == sorted(
        [("nodes", f.name) for f in neo4j_admin.NODE_FILES]
        + [("relationships", f.name) for f in neo4j_admin.EDGE_FILES]
    )
    assert f"--array-delimiter={neo4j_admin.ARRAY_DELIMITER_OPTION}" in command
    assert "--id-type=string" in command and "--multiline-fields=true" in command


def test_a_new_field_gets_its_column_from_its_type() -> None:
    class Tagged(Fields):
        tags: list[str] | None = None
        visits: int = 0
        seen_at: dt.datetime | None = None
        tier: PersonTier | None = None

    assert neo4j_admin.field_columns(Tagged) == (
        Column("externalId", "string"),
        Column("tags", "string[]"),
        Column("visits", "long"),
        Column("seenAt", "datetime"),
        Column("tier", "string"),
    )
    with pytest.raises(TypeError, match="no neo4j-admin type"):
        neo4j_admin.admin_type(dict[str, int])
