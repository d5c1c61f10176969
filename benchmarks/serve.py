"""The server exactly as `python server.py` runs it, after recording which driver it loaded.

    python -m benchmarks.serve

The benchmarks start the server this way. When GUANXI_BENCH_DRIVER_STATUS names a file, the
process first writes there, as JSON, its pid, the neo4j driver's version and location, and
whether the driver's Rust extension (neo4j-rust-ext) is active: the driver imports
`neo4j._rust` for its PackStream codecs when it can and falls back to pure Python otherwise,
so the extension is active when both codecs hold the Rust functions.
"""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATUS_ENV = "GUANXI_BENCH_DRIVER_STATUS"


def driver_status() -> dict[str, Any]:
    """This process's driver: version, where it was loaded from, and the Rust extension."""
    import neo4j
    from neo4j._codec.packstream import v1, v2

    rust = all(
        codec._rust_pack is not None and codec._rust_unpack is not None for codec in (v1, v2)
    )
    return {
        "pid": os.getpid(),
        "version": neo4j.__version__,
        "path": str(Path(neo4j.__file__).parent),
        "rust": rust,
    }


def main() -> None:
    status = os.environ.get(STATUS_ENV)
    if status:
        Path(status).write_text(json.dumps(driver_status()))
    runpy.run_path(str(ROOT / "server.py"), run_name="__main__")


if __name__ == "__main__":
    main()
