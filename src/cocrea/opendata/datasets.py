"""What this app adds to the registered datasets: the OCDS packages and the FollowTheMoney
entities of the contracting processes (produced here, over money's store)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cocrea.core.registry import DATASETS, add_dataset_formats

CONTRACTING = "dinero-procesos"


def register(label: str) -> None:
    if CONTRACTING not in DATASETS:
        return
    add_dataset_formats(
        CONTRACTING,
        [
            (_("OCDS: paquete de entregas"), "/api/v1/ocds/release-package", "entity"),
            (_("OCDS: paquete de registros"), "/api/v1/ocds/record-package", "entity"),
            (_("FollowTheMoney (JSON Lines)"), "/api/v1/ftm/entities", "entity"),
        ],
    )
