"""Trusted documents: operations registered ahead of time, sent by id (docs/TRUSTED_DOCUMENTS.md).

A manifest maps each document's id to its text; the id is `sha256:` and the SHA-256 of the text
in UTF-8 (hex), so a manifest cannot register a text under another's id. The map's manifest is
`ui/trusted-documents.json` (written by graphql-codegen with the page); front-end teams add
their own files (GUANXI_TRUSTED_DOCUMENT_FILES). A request names its document in one of two
ways, both looked up in the same manifests:

- `"documentId": "sha256:<hex>"`, as the GraphQL-over-HTTP persisted-documents proposal and
  graphql-codegen's client preset (`persistedDocuments`) send it;
- `"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}`, Apollo's form.

The modes (GUANXI_TRUSTED_DOCUMENTS): `off` reads no manifest, and an id is answered
PERSISTED_QUERY_NOT_FOUND (a client then sends the text); `allow` runs registered documents by
id and any document sent as text; `only` runs registered documents only, by id or as their
exact text, and refuses any other text with UNTRUSTED_DOCUMENT. No mode registers a document a
request sends (Apollo's automatic persisted queries): the manifests are the whole list.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cross_web import HTTPException

Mode = Literal["off", "allow", "only"]
PREFIX = "sha256:"
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
UNTRUSTED = "UNTRUSTED_DOCUMENT"
_HEX = re.compile(r"[0-9a-f]{64}")


class DocumentRefused(HTTPException):
    """A request whose document this server will not run; `code` is its `extensions.code`."""

    def __init__(self, reason: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(400, reason)
        self.code = code


def document_id(text: str) -> str:
    """A document's id: `sha256:` and the hex SHA-256 of its text in UTF-8."""
    return PREFIX + hashlib.sha256(text.encode()).hexdigest()


def _hex_of(value: object) -> str | None:
    """The hex digest an id names (`sha256:<hex>` or the bare hex), or None for another form."""
    if not isinstance(value, str):
        return None
    digest = value.removeprefix(PREFIX).lower()
    return digest if _HEX.fullmatch(digest) else None


def read_manifest(path: Path) -> dict[str, str]:
    """One manifest file: hex digest -> text. Either a JSON object `{id: text}` (ids with or
    without `sha256:`: graphql-codegen's persisted-documents.json has them bare) or Apollo's
    persisted query manifest (`{"operations": [{"id", "body"}, ...]}`). A ValueError names the
    file and the entry when it is unreadable or an id is not its text's hash."""
    try:
        loaded: object = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"trusted documents: cannot read {path}: {exc}") from None
    pairs: list[tuple[object, object]]
    if isinstance(loaded, dict) and isinstance(loaded.get("operations"), list):
        operations: list[Any] = loaded["operations"]
        pairs = [
            (op.get("id"), op.get("body")) if isinstance(op, dict) else (None, None)
            for op in operations
        ]
    elif isinstance(loaded, dict):
        pairs = list(loaded.items())
    else:
        raise ValueError(f"trusted documents: {path} is not a JSON object of id -> document")
    documents: dict[str, str] = {}
    for key, text in pairs:
        digest = _hex_of(key)
        if digest is None or not isinstance(text, str):
            raise ValueError(
                f"trusted documents: {path}: {key!r} is not `sha256:<64 hex digits>` with a "
                "document's text"
            )
        if document_id(text) != PREFIX + digest:
            raise ValueError(
                f"trusted documents: {path}: {key} is not the SHA-256 of its document "
                f"({document_id(text)}): ids are the hash of the exact text"
            )
        documents[digest] = text
    return documents


@dataclass(frozen=True)
class TrustedDocuments:
    """The registered documents (hex digest -> text) and the mode (module docstring)."""

    mode: Mode = "allow"
    documents: Mapping[str, str] = field(default_factory=dict[str, str])

    @classmethod
    def load(cls, mode: Mode, files: Iterable[Path]) -> TrustedDocuments:
        """The documents of every manifest in `files` (none read when `mode` is off)."""
        documents: dict[str, str] = {}
        if mode != "off":
            for path in files:
                documents.update(read_manifest(path))
        return cls(mode, documents)

    def _registered(self, query: object) -> bool:
        """The text is exactly a registered document's (no text at all is left to the view)."""
        if not isinstance(query, str):
            return query is None
        return hashlib.sha256(query.encode()).hexdigest() in self.documents

    def resolve(self, operation: dict[str, Any]) -> dict[str, Any]:
        """The operation with the text of the document it names in `query`; the operation as
        sent when it names none and the mode lets its text run. DocumentRefused otherwise.

        A text sent with its own id is a text (Apollo's link sends both after an id was not
        found): it runs as any text would, and must be the text the id names."""
        extensions = operation.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        named: object = operation.get("documentId")
        if named is None and isinstance(persisted, dict):
            named = persisted.get("sha256Hash")
        query = operation.get("query")
        if named is None:
            return self._as_text(operation)
        digest = _hex_of(named)
        if digest is None:
            raise DocumentRefused(
                f"`documentId` must be `sha256:` and 64 hex digits, not {str(named)[:80]!r}"
            )
        unnamed = {key: value for key, value in operation.items() if key != "documentId"}
        if isinstance(query, str):
            if hashlib.sha256(query.encode()).hexdigest() != digest:
                raise DocumentRefused(
                    f"`query` is not the document sha256:{digest} names (an id is the SHA-256 "
                    "of its document's exact text): send one of them"
                )
            return self._as_text(unnamed)
        text = self.documents.get(digest)
        if text is None:
            why = (
                "trusted documents are off on this server (GUANXI_TRUSTED_DOCUMENTS=off)"
                if self.mode == "off"
                else "no registered document has this id"
            )
            raise DocumentRefused(
                f"{why}: sha256:{digest} (send the document's text in `query`, or register it: "
                "docs/TRUSTED_DOCUMENTS.md)",
                NOT_FOUND,
            )
        return {**unnamed, "query": text}

    def _as_text(self, operation: dict[str, Any]) -> dict[str, Any]:
        """An operation sent as text: as it is, unless the mode is `only` and the text is not
        exactly a registered document's."""
        if self.mode == "only" and not self._registered(operation.get("query")):
            raise DocumentRefused(
                "this server runs only trusted documents (GUANXI_TRUSTED_DOCUMENTS=only): "
                "send a registered document's id in `documentId` (docs/TRUSTED_DOCUMENTS.md)",
                UNTRUSTED,
            )
        return operation


__all__ = [
    "NOT_FOUND",
    "UNTRUSTED",
    "DocumentRefused",
    "Mode",
    "TrustedDocuments",
    "document_id",
    "read_manifest",
]
