"""Load on the production stack (nginx → gunicorn → PostgreSQL, a worker): `run.sh` drives it.

Visitors read the public pages and the API; a few register to the demo's open event (each
registration enqueues an e-mail task for the worker). Run headless, e.g.
    uv run --group load locust -f benchmarks/load/locustfile.py --headless -u 50 -r 10 -t 60s -H URL
"""

from __future__ import annotations

import itertools
import uuid

from locust import HttpUser, between, task

EVENT = "encuentro-regional-cocreacion-local"
_serial = itertools.count()


class Visitor(HttpUser):
    wait_time = between(1, 3)

    @task(6)
    def dashboard(self):
        self.client.get("/", name="/")

    @task(3)
    def entity(self):
        self.client.get("/entidades/morelos/", name="/entidades/[entidad]/")

    @task(2)
    def events(self):
        self.client.get("/eventos/", name="/eventos/")

    @task(3)
    def api_stats(self):
        self.client.get("/api/v1/stats/national", name="/api/v1/stats/national")

    @task(2)
    def api_events(self):
        self.client.get("/api/v1/events", name="/api/v1/events")

    @task(1)
    def static(self):
        self.client.get("/health/", name="/health/")

    @task(1)
    def register(self):
        payload = {
            "name": f"Carga {next(_serial)}",
            "email": f"carga-{uuid.uuid4().hex}@example.org",
            "organization": "Prueba de carga",
            "sector": "academia",
            "entity_code": "17",
            "accept_privacy_notice": True,
        }
        with self.client.post(
            f"/api/v1/events/{EVENT}/registrations",
            json=payload,
            name="POST /api/v1/events/[slug]/registrations",
            catch_response=True,
        ) as response:
            # A full event puts people on the waiting list: still a 201.
            if response.status_code != 201:
                response.failure(f"status {response.status_code}")
