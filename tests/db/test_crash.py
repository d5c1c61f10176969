"""Nothing acknowledged is lost when the server is killed (SIGKILL) mid-write: the real
`python server.py` with its embedded engine, killed during a stream of createCompany calls
and during strict importRecords calls, restarted on the same data directory with no repair.
The machinery and the longer run that prints figures: benchmarks/crash.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.crash import RunResult, crash_runs


# Five starts of a JVM: about 2 minutes on a quiet machine of 2 cores, more when it is shared.
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_acknowledged_write_survives_sigkill_and_no_import_call_is_half_there(
    tmp_path: Path,
) -> None:
    results, _ = crash_runs(tmp_path / "data", runs=4, batch=100, seed=20240601)

    assert [r.kind for r in results] == ["stream", "import", "stream", "import"]
    for result in results:
        assert not result.error, result.line()
        assert result.restart_seconds > 0, result.line()  # restarted without repair
        assert result.acknowledged >= 1, result.line()  # the kill came mid-stream
        assert result.lost == [], result.line()
        assert result.partial == [], result.line()
        assert result.landed <= result.in_flight <= 1, result.line()
        assert result.kept


def test_a_lost_write_or_a_half_import_fails_the_run() -> None:
    """The verdict the benchmark prints rests on these fields: any loss fails a run."""
    kept = RunResult(0, "import", 1.0, 3, 1, 1, [], [], 9.0)
    assert kept.kept
    assert not RunResult(0, "stream", 1.0, 3, 1, 0, ["crash r0 m2"], [], 9.0).kept
    assert not RunResult(0, "import", 1.0, 3, 1, 0, [], ["crash-r0-c3-* 40 of 100"], 9.0).kept
    assert not RunResult(0, "stream", 1.0, 3, 1, 2, [], [], 9.0).kept  # more landed than sent
    assert not RunResult(0, "stream", 1.0, 3, 1, 0, [], [], 0.0, "the server exited (1)").kept
