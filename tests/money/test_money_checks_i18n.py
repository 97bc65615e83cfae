from django.utils import translation

from cocrea.money import analytics


def test_consistency_checks_are_explained_in_the_visitors_language():
    check = analytics.CHECKS["pico_diciembre"]
    with translation.override("es-mx"):
        assert str(check["title"]) == "Pico de gasto en diciembre"
    with translation.override("en"):
        assert str(check["title"]) == "December spending spike"
        assert str(check["explanation"]).startswith("December payments are at least twice")
