"""Exported records written as one GraphML file, streamed (for Gephi, Cytoscape, networkx…).

Companies, people and deals are nodes (`label`: Company, Person, Deal) keyed by Guanxi id;
roles, relationships, company relationships, referrals, reporting lines and deals' customers
are edges (`type`: HOLDS_ROLE, KNOWS, DOES_BUSINESS_WITH, REFERRED, REPORTS_TO, FOR). Every
field of the record format is a GraphML attribute: strengths and amounts as doubles, flags as
booleans, the rest as strings (dates in ISO 8601).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from graph.transfer.records import SPECS, RecordKind

_NODE_KINDS = {
    RecordKind.COMPANIES: "Company",
    RecordKind.PEOPLE: "Person",
    RecordKind.DEALS: "Deal",
}
_EDGE_KINDS = {
    RecordKind.ROLES: ("HOLDS_ROLE", "person", "company"),
    RecordKind.RELATIONSHIPS: ("KNOWS", "fromPerson", "toPerson"),
    RecordKind.COMPANY_RELATIONSHIPS: ("DOES_BUSINESS_WITH", "fromCompany", "toCompany"),
    RecordKind.REFERRALS: ("REFERRED", "referrer", "referred"),
    RecordKind.REPORTING_LINES: ("REPORTS_TO", "person", "manager"),
}
_DOUBLES = frozenset({"strength", "amount"})
_BOOLEANS = frozenset({"isOurs", "isKeyPerson"})
_REFS = frozenset({"person", "company", "fromPerson", "toPerson", "fromCompany", "toCompany",
                   "referrer", "referred", "manager", "referrerKind", "referredKind"})  # fmt: skip


def _attributes(kinds: list[RecordKind]) -> list[str]:
    names: list[str] = []
    for kind in kinds:
        for column in SPECS[kind].columns:
            if column not in names and column not in _REFS and column != "id":
                names.append(column)
    return names


_NODE_ATTRIBUTES = ["label", *_attributes(list(_NODE_KINDS))]
_EDGE_ATTRIBUTES = ["type", "id", *_attributes(list(_EDGE_KINDS))]


def _type(name: str) -> str:
    return "double" if name in _DOUBLES else "boolean" if name in _BOOLEANS else "string"


def _text(value: Any) -> str:
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


class GraphMLWriter:
    """Takes exported records one at a time (`write`) and writes them as GraphML."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self.nodes = 0
        self.edges = 0
        handle.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        )
        for domain, names in (("node", _NODE_ATTRIBUTES), ("edge", _EDGE_ATTRIBUTES)):
            for name in names:
                handle.write(
                    f'  <key id="{domain[0]}_{name}" for="{domain}" attr.name="{name}" '
                    f'attr.type="{_type(name)}"/>\n'
                )
        handle.write('  <graph id="guanxi" edgedefault="directed">\n')

    def _data(self, domain: str, values: dict[str, Any]) -> str:
        return "".join(
            f'<data key="{domain}_{name}">{escape(_text(value))}</data>'
            for name, value in values.items()
            if value is not None
        )

    def write(self, kind: RecordKind, record: dict[str, Any]) -> None:
        if kind in _NODE_KINDS:
            values = {"label": _NODE_KINDS[kind]}
            values.update((k, v) for k, v in record.items() if k not in _REFS and k != "id")
            self._handle.write(
                f"    <node id={quoteattr(str(record['id']))}>{self._data('n', values)}</node>\n"
            )
            self.nodes += 1
            if kind is RecordKind.DEALS:
                self._edge(str(record["id"]), str(record["company"]), {"type": "FOR"})
            return
        edge_type, source, target = _EDGE_KINDS[kind]
        values = {"type": edge_type}
        values.update((k, v) for k, v in record.items() if k not in _REFS)
        self._edge(str(record[source]), str(record[target]), values)

    def _edge(self, source: str, target: str, values: dict[str, Any]) -> None:
        self._handle.write(
            f"    <edge source={quoteattr(source)} target={quoteattr(target)}>"
            f"{self._data('e', values)}</edge>\n"
        )
        self.edges += 1

    def close(self) -> None:
        self._handle.write("  </graph>\n</graphml>\n")
