"""Prometheus metrics: per GraphQL operation (count, latency, errors) and per HTTP status."""

from __future__ import annotations

import re
from collections.abc import Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from starlette.requests import Request
from starlette.responses import Response

# Operation names come from clients: only this many distinct ones get their own label, first
# come, and only names of operations that passed validation take one (issue 18, finding 14:
# any `operationName`, even one naming nothing, used to take a label, so 200 junk requests
# sent every later name to `other`). The names an operator lists (GUANXI_METRIC_OPERATIONS)
# always get theirs: a client with a credential can still fill the first-come labels with
# valid documents under made-up names, but not take those.
MAX_OPERATION_NAMES = 200
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
ANONYMOUS = "anonymous"
OTHER = "other"


class Metrics:
    """The app's metrics, in a registry of its own (one per app, so tests do not share it)."""

    def __init__(self, paths: frozenset[str], reserved: Iterable[str] = ()) -> None:
        """`paths`: the app's own paths (others are counted as `other`); `reserved`: operation
        names that always get their own label."""
        self.registry = CollectorRegistry()
        self._paths = paths
        self._reserved = frozenset(name for name in reserved if _NAME.fullmatch(name))
        self._names: set[str] = set()
        self.operations = Counter(
            "guanxi_graphql_operations",
            "GraphQL operations executed, by operation name.",
            ["operation"],
            registry=self.registry,
        )
        self.operation_errors = Counter(
            "guanxi_graphql_operation_errors",
            "GraphQL operations whose response carried errors, by operation name.",
            ["operation"],
            registry=self.registry,
        )
        self.operation_seconds = Histogram(
            "guanxi_graphql_operation_duration_seconds",
            "Time to execute a GraphQL operation, by operation name.",
            ["operation"],
            registry=self.registry,
        )
        self.responses = Counter(
            "guanxi_http_responses",
            "HTTP responses, by path and status code.",
            ["path", "status"],
            registry=self.registry,
        )
        # each label set's series, looked up once (operation labels and paths are bounded,
        # and so are status codes)
        self._operation_series: dict[str, tuple[Counter, Histogram]] = {}
        self._response_series: dict[tuple[str, int], Counter] = {}

    def operation_label(self, name: str | None, validated: bool = True) -> str:
        """The label for an operation name: bounded in number and shape. A name not yet
        labelled takes a label only when its operation passed validation (`validated`)."""
        if name is None:
            return ANONYMOUS
        if name in self._names or name in self._reserved:
            return name
        if not validated or not _NAME.fullmatch(name) or len(self._names) >= MAX_OPERATION_NAMES:
            return OTHER
        self._names.add(name)
        return name

    def observe_operation(
        self, name: str | None, seconds: float, failed: bool, validated: bool = True
    ) -> None:
        """Count one operation, its latency, and whether it had errors; `validated`: it passed
        parsing and validation (it was executed)."""
        label = self.operation_label(name, validated)
        series = self._operation_series.get(label)
        if series is None:  # prometheus_client's labels() checks and locks on every call
            series = (self.operations.labels(label), self.operation_seconds.labels(label))
            self._operation_series[label] = series
        count, latency = series
        count.inc()
        latency.observe(seconds)
        if failed:  # its series appears with the first error
            self.operation_errors.labels(label).inc()

    def observe_response(self, path: str, status: int) -> None:
        """Count one HTTP response (paths other than the app's own are counted as `other`)."""
        key = (path if path in self._paths else OTHER, status)
        counter = self._response_series.get(key)
        if counter is None:
            counter = self._response_series[key] = self.responses.labels(key[0], str(status))
        counter.inc()

    async def endpoint(self, request: Request) -> Response:
        """GET /metrics in Prometheus' text format."""
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
