"""Demo: three municipalities in two entities have joined the initiative (demo data only)."""

from .models import Municipality
from .municipalities import record_adhesion

DEMO_MUNICIPAL_ADHESIONS = [("17007", 2017), ("17011", 2018), ("14039", 2018)]


def load(seed: int) -> None:
    for code, year in DEMO_MUNICIPAL_ADHESIONS:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is not None:
            record_adhesion(municipality, actor=None, year=year, source="Datos de demostración")
