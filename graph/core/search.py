"""Search text for names, so that a search finds Chinese names by characters or by pinyin."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


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
