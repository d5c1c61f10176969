"""`python -m seed`: load the demo data into the configured database (once: a database that
already holds it is left alone)."""

from __future__ import annotations

import argparse

from graph.connection import open_graph
from graph.setup import count_nodes_and_edges, delete_everything, ensure_schema
from seed.demo import load_demo


def main() -> None:
    parser = argparse.ArgumentParser(description="Load Guanxi's demo data.")
    parser.add_argument(
        "--reset", action="store_true", help="delete everything in the database first"
    )
    args = parser.parse_args()
    with open_graph() as graph:
        ensure_schema(graph)
        if args.reset:
            delete_everything(graph)
        counts = load_demo(graph)
        nodes, edges = count_nodes_and_edges(graph)
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()))
    print(f"the database now holds {nodes} nodes and {edges} edges")


if __name__ == "__main__":
    main()
