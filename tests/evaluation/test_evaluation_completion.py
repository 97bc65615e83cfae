"""The completion level the platform proposes from validated progress, and its override."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from evaluation_helpers import milestone

from cocrea.evaluation import services
from cocrea.evaluation.models import Stage
from cocrea.evaluation.scoring import proposed_completion


@pytest.mark.parametrize(
    ("progress", "validated", "expected"),
    [
        (None, False, "sin_evidencia"),
        (0, False, "sin_evidencia"),
        (80, False, "sin_evidencia"),
        (0, True, "no_iniciado"),
        (Decimal("0.01"), True, "limitado"),
        (Decimal("49.99"), True, "limitado"),
        (50, True, "sustancial"),
        (Decimal("99.99"), True, "sustancial"),
        (100, True, "completo"),
    ],
)
def test_mapping(progress, validated, expected):
    assert proposed_completion(progress, validated) == expected


@pytest.fixture
def results_review(db, users, morelos, evaluator):
    c1, c2, c3 = morelos["commitments"]
    # c1: no milestone at all; c2: 50 % validated (weights 1 and 1: 100 and 0);
    # c3: a milestone without any validated figure.
    milestone(c2, 100, number=1, validated_reports=1)
    milestone(c2, 0, number=2, validated_reports=1)
    milestone(c3, None, number=1)
    services.appoint(morelos["plan"], Stage.RESULTS, actor=users["coordinator"], user=evaluator)
    return services.start_review(morelos["plan"], Stage.RESULTS, actor=evaluator)


def test_review_proposes_from_the_rollup(results_review):
    got = {
        a.commitment.number: (a.completion_proposed, a.completion, a.completion_progress)
        for a in results_review.assessments.select_related("commitment")
    }
    assert got[1] == ("sin_evidencia", "sin_evidencia", None)
    assert got[2] == ("sustancial", "sustancial", Decimal("50.00"))
    assert got[3] == ("sin_evidencia", "sin_evidencia", None)


def test_override_needs_a_reason_and_keeps_both(results_review, evaluator):
    a = results_review.assessments.get(commitment__number=2)
    with pytest.raises(ValidationError) as exc:
        services.save_assessment(a, actor=evaluator, completion="completo", completion_why="x")
    assert "completion_override_reason" in exc.value.message_dict
    a.refresh_from_db()
    services.save_assessment(
        a, actor=evaluator, completion="completo", completion_why="Entregado.",
        completion_override_reason="El último hito se entregó; falta validarlo.",
    )  # fmt: skip
    a.refresh_from_db()
    assert (a.completion_proposed, a.completion) == ("sustancial", "completo")
    assert a.completion_override_reason.startswith("El último hito")
