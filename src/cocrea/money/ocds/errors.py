"""Errors shared by the plain and the compiled OCDS merge (``merge.py``, ``_cmerge``)."""


class CompileError(ValueError):
    """A process that ocdskit would refuse to compile (the message says why)."""
