"""Demo data of Sigue el Dinero (filled in below)."""


def load(seed: int) -> None:
    return None
