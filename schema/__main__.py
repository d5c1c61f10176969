"""`python -m schema`: write the schema, as GraphQL SDL, to schema.graphql."""

from pathlib import Path

from strawberry.printer import print_schema

from schema import schema

OUTPUT = Path(__file__).resolve().parent.parent / "schema.graphql"

if __name__ == "__main__":
    OUTPUT.write_text(print_schema(schema) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}")
