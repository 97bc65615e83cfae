"""The starred commitment: every boundary of the one function that computes it."""

from __future__ import annotations

import pytest

from cocrea.evaluation.scoring import is_starred, starred

PASS = {
    "specificity": "media",
    "access": True,
    "participation": False,
    "accountability": False,
    "impact": "moderado",
    "completion": "sustancial",
}

# (field, value, starred?) with every other input at a passing value.
CASES = [
    ("specificity", "ninguna", False),
    ("specificity", "baja", False),
    ("specificity", "media", True),
    ("specificity", "alta", True),
    ("specificity", "", False),
    ("impact", "ninguno", False),
    ("impact", "menor", False),
    ("impact", "moderado", True),
    ("impact", "transformador", True),
    ("impact", "", False),
    ("completion", "sin_evidencia", False),
    ("completion", "no_iniciado", False),
    ("completion", "limitado", False),
    ("completion", "sustancial", True),
    ("completion", "completo", True),
    ("completion", "", False),
]


@pytest.mark.parametrize(("field", "value", "expected"), CASES)
def test_each_level_of_each_scale(field, value, expected):
    assert is_starred(**{**PASS, field: value}) is expected


RELEVANCE = [
    ((False, False, False), False),
    ((True, False, False), True),
    ((False, True, False), True),
    ((False, False, True), True),
    ((True, True, True), True),
]


@pytest.mark.parametrize(("flags", "expected"), RELEVANCE)
def test_relevant_to_at_least_one_value(flags, expected):
    access, participation, accountability = flags
    assert is_starred(**{**PASS, "access": access, "participation": participation,
                         "accountability": accountability}) is expected  # fmt: skip


def test_every_input_at_its_lowest_passing_value_and_one_below():
    low = {**PASS}
    assert is_starred(**low)
    for field, below in (("specificity", "baja"), ("impact", "menor"), ("completion", "limitado")):
        assert not is_starred(**{**low, field: below})


class _A:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_a_star_needs_both_reviews():
    design = _A(specificity="alta", relevant_access=False, relevant_participation=True,
                relevant_accountability=False, impact="transformador")  # fmt: skip
    results = _A(completion="completo")
    assert starred(design, results)
    assert not starred(design, None)
    assert not starred(None, results)
