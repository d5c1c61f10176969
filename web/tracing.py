"""The OpenTelemetry SDK, set up from the standard OTEL_* variables when they ask for traces.

Traces are on when an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and neither OTEL_SDK_DISABLED=true nor
OTEL_TRACES_EXPORTER=none turns them off. Then each process (every worker of `--workers`
imports the app anew) has one tracer provider of its own, exporting over OTLP/HTTP in batches
from a background thread; the exporter reads its other OTEL_EXPORTER_OTLP_* variables
(headers, timeout, certificates) itself, the sampler OTEL_TRACES_SAMPLER, the resource
OTEL_SERVICE_NAME (by default `guanxi`) and OTEL_RESOURCE_ATTRIBUTES. Otherwise the SDK is not
even imported: the app keeps the API's no-op tracer.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

SERVICE_NAME = "guanxi"
ENDPOINTS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def configured(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment asks for traces (see the module's docstring)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "none":
        return False
    return any(environ.get(name, "").strip() for name in ENDPOINTS)


@functools.cache
def provider_from_environment() -> TracerProvider | None:
    """This process's tracer provider exporting over OTLP, or None when traces are off. Made
    once per process: a second app in the process (`python server.py` builds one at import and
    one to serve) shares it and its export thread."""
    if not configured():
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME as SERVICE_NAME_KEY
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME_KEY, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME_KEY: SERVICE_NAME}))
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider
