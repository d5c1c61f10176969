"""Search text for names, and the keys that let an index find it.

A name is searched by characters, by pinyin with and without spaces, and by initials: its
`searchText` holds those forms one per line, and a term matches when one line contains it.
So that no search scans every name, each company and person also has search keys: every
suffix of every line with its spaces removed, cut to KEY_LENGTH characters, each a
(:SearchKey {text}) node pointing at its item. A line that contains a term has a suffix that
starts with it (spaces removed), so `key STARTS WITH` the term's own key (an index range seek
on both engines) finds every item that can match; the search then keeps those whose
`searchText` really contains the term. Names are short, so an item has a few dozen keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict

from pypinyin import Style, lazy_pinyin

from graph.cypher.core import search as cypher
from graph.cypher.core.search import SearchKeyStatements
from graph.db.connection import Graph, Tx

KEY_LENGTH = 8


def search_text(name: str) -> str:
    """The lower-cased name, its pinyin with and without spaces, and its pinyin initials,
    one per line. "张伟" -> "张伟\nzhang wei\nzhangwei\nzw", so "张伟", "zhang wei",
    "zhangwei" and "zw" all match; a search term never holds a line break, so it cannot
    match across two forms.
    """
    lowered = " ".join(name.lower().split())
    syllables = [s.strip() for s in lazy_pinyin(lowered) if s.strip()]
    initials = [s[0] for s in lazy_pinyin(lowered, style=Style.FIRST_LETTER) if s.strip()]
    return "\n".join([lowered, " ".join(syllables), "".join(syllables), "".join(initials)])


def search_term(text: str | None) -> str | None:
    """The form a user's search takes before it is matched (None or blank: no search)."""
    if text is None or not text.strip():
        return None
    return " ".join(text.lower().split())


class SearchKey(TypedDict):
    """One search key of an item, and what a short term that starts it says of the item.

    `gap`: how many of the key's characters lie together in a line (the key's start, before a
    space that was removed), the most of any line the key comes from; `head`: the same for a
    key that starts a line, else 0; `whole`: the key is a whole line. A term of at most
    KEY_LENGTH characters and no space (`exact_key`) lies in a line when a key starts with it
    and has a gap of at least its length, starts a line when such a key has that head, and is
    a whole line when it is a key that is one: no item need be read to find, count or rank it.
    """

    text: str
    gap: int
    head: int
    whole: bool


def search_key_rows(text: str) -> list[SearchKey]:
    """The search keys of a `searchText`: each suffix of each line, spaces removed, cut to
    KEY_LENGTH characters, without repeats (in a stable order), with what they say of a short
    term (SearchKey)."""
    keys: dict[str, SearchKey] = {}
    for line in text.split("\n"):
        words = line.split()
        joined = "".join(words)
        together = [left for word in words for left in range(len(word), 0, -1)]
        for start in range(len(joined)):
            key = joined[start : start + KEY_LENGTH]
            gap = min(together[start], KEY_LENGTH)
            head = gap if start == 0 and not line[:1].isspace() else 0
            seen = keys.get(key)
            if seen is None:
                keys[key] = SearchKey(text=key, gap=gap, head=head, whole=key == line)
            else:
                seen["gap"] = max(seen["gap"], gap)
                seen["head"] = max(seen["head"], head)
                seen["whole"] = seen["whole"] or key == line
    return list(keys.values())


def term_key(term: str) -> str:
    """The key prefix every item matching `term` (a `search_term`) has a key starting with."""
    return "".join(term.split())[:KEY_LENGTH]


def exact_key(term: str) -> bool:
    """Whether the keys alone find, count and rank the items that match `term` (a
    `search_term`): it is its own key, at most KEY_LENGTH characters without a space."""
    return term == term_key(term)


def write_search_keys(
    tx: Tx, statements: SearchKeyStatements, items: Sequence[tuple[str, str]], *, replace: bool
) -> None:
    """Give each (id, searchText) item the keys of its text, in the running transaction; with
    `replace`, remove the keys it had first."""
    if not items:
        return
    if replace:
        tx.run(statements.clear, ids=[id_ for id_, _ in items])
    tx.run(statements.add, rows=[{"id": id_, "keys": search_key_rows(text)} for id_, text in items])


BACKFILL_BATCH = 5_000


def backfill_search_keys(graph: Graph, progress: Callable[[int, int], None]) -> None:
    """Give every company and person the search keys of its searchText (idempotent: an item's
    keys are replaced), in batches of BACKFILL_BATCH items."""
    work = [
        (cypher.COMPANY_SEARCH_KEYS, graph.read(cypher.COMPANY_SEARCH_TEXTS)[0]["items"]),
        (cypher.PERSON_SEARCH_KEYS, graph.read(cypher.PERSON_SEARCH_TEXTS)[0]["items"]),
    ]
    total = sum(len(items) for _, items in work)
    done = 0
    for statements, items in work:
        pairs = [(str(id_), str(text)) for id_, text in items if text is not None]
        for start in range(0, len(pairs), BACKFILL_BATCH):
            batch = pairs[start : start + BACKFILL_BATCH]

            def write(
                tx: Tx,
                batch: list[tuple[str, str]] = batch,
                statements: SearchKeyStatements = statements,
            ) -> None:
                write_search_keys(tx, statements, batch, replace=True)

            graph.write_tx(write)
            done += len(batch)
            progress(done, total)
