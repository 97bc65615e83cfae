"""Demo data: deterministic, labelled as demonstration data on every page."""

from __future__ import annotations

from django.db import transaction

from .models import DemoDataset
from .registry import DEMO_LOADERS

DEMO_SEED = 2018
DEMO_PASSWORD = "cocrea-demo"


@transaction.atomic
def load_demo_data(seed: int = DEMO_SEED, log=print) -> bool:
    """Run every registered loader once; returns False when the demo data was already there."""
    if DemoDataset.objects.exists():
        return False
    for loader in DEMO_LOADERS:
        log(f"  · {loader.name}")
        loader.run(seed=seed)
    DemoDataset.objects.create(seed=seed)
    return True
