"""`GET /metrics`: the Prometheus text format, for auditors' and admins' keys
(and bureaus'), with the grade view's lag behind the log and the webhook
outbox's deliveries read when scraped."""

from __future__ import annotations

import os
from collections.abc import Iterator

from flask import Response
from flask.views import MethodView
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.services import services
from credit_svc.projections.outbox import STATES

blp = Blueprint("metrics", __name__, description="Prometheus metrics.")


@blp.route("/metrics")
class Metrics(MethodView):
    """What the service counted, in every worker."""

    @blp.response(200, content_type=CONTENT_TYPE_LATEST)
    def get(self) -> Response:
        """Get the service's metrics in the Prometheus text format"""
        registry = CollectorRegistry()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            # every worker's files, added up
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        else:
            registry = REGISTRY  # this process's own
        text = generate_latest(registry) + generate_latest(_lag_registry())
        return Response(text, mimetype=CONTENT_TYPE_LATEST)


def _lag_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Lag())
    registry.register(_Outbox())
    return registry


class _Lag(Collector):
    """The log's and the grade view's positions, read now."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the positions and the lag between them."""
        opened = services()
        log = opened.app.recorder.max_notification_id() or 0
        view = opened.view.db.position(opened.app.name)
        yield GaugeMetricFamily(
            "credit_svc_log_position", "Position of the event log's last event.", log
        )
        yield GaugeMetricFamily(
            "credit_svc_view_position", "Position the grade view has reached.", view
        )
        yield GaugeMetricFamily(
            "credit_svc_projection_lag_events",
            "Events in the log the grade view has not applied yet.",
            max(0, log - view),
        )


class _Outbox(Collector):
    """The webhook outbox's deliveries by state, read now: a growing count
    of pending or dead ones is a receiver down or a worker stopped."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the deliveries in each state, all subscriptions together."""
        family = GaugeMetricFamily(
            "credit_svc_webhook_deliveries",
            "Webhook deliveries in the outbox, by state.",
            labels=["state"],
        )
        totals = dict.fromkeys(STATES, 0)
        for counts in services().view.outbox.counts().values():
            for state, count in counts.items():
                totals[state] += count
        for state, count in totals.items():
            family.add_metric([state], count)
        yield family
