"""Who records a change: the credential a write is made with, set by the server, never by a client.

Every recorded change (the change log, a logged interaction, a delete's archive, an import's
marks, a deal) keeps the credential that made it, beside the `by` a client may write ("on
behalf of"). The credential lives in a context variable, set once where the caller is known:
per GraphQL operation from the request's principal (schema/__init__.py), for the command line
(`cli:<OS user>`, seed/__main__.py) and for demo or synthetic data (`seed`). asyncio hands it to
the request's tasks and worker threads (`asyncio.to_thread` copies the context), so the graph
layer reads it without being passed it. A write that records a change while none is set fails
with NoRecorder: a change is never recorded without its credential.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Generator
from contextlib import contextmanager
from contextvars import ContextVar

SEED = "seed"  # demo and synthetic data

_RECORDER: ContextVar[str | None] = ContextVar("guanxi_recorder", default=None)


class NoRecorder(RuntimeError):
    """A change was about to be recorded with no credential set: a bug in the caller."""


def of_credential(via: str, subject: str) -> str:
    """How a credential is recorded: `jwt:<subject>` or `token:<token name>`."""
    return f"{via}:{subject}"


def command_line() -> str:
    """The command line's credential: `cli:<OS user>` (`cli:uid-<n>` without a user name)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # a container's uid with no passwd entry
        user = f"uid-{os.getuid()}"
    return f"cli:{user}"


@contextmanager
def recording_as(recorder: str) -> Generator[None]:
    """Within the block, changes are recorded as made by `recorder`."""
    if not recorder.strip():
        raise ValueError("a recorder must not be blank")
    token = _RECORDER.set(recorder)
    try:
        yield
    finally:
        _RECORDER.reset(token)


def current() -> str:
    """The credential changes are recorded with now; NoRecorder when none is set."""
    recorder = _RECORDER.get()
    if recorder is None:
        raise NoRecorder(
            "a change was about to be recorded without the credential that makes it: wrap "
            "the write in graph.db.recorder.recording_as(...)"
        )
    return recorder
