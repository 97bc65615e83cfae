from django.utils import translation

from cocrea.money.analytics import findings


def test_consistency_checks_are_explained_in_the_visitors_language():
    check = findings.CHECKS["pico_diciembre"]
    with translation.override("es-mx"):
        assert str(check["title"]) == "Pico de gasto en diciembre"
    with translation.override("en"):
        assert str(check["title"]) == "December spending spike"
        assert str(check["explanation"]).startswith("December payments are at least twice")


def test_red_flags_are_explained_in_the_visitors_language():
    from cocrea.money.redflags import DISCLAIMER, EXPLANATIONS, GROUP_LABELS, describe

    with translation.override("es-mx"):
        assert EXPLANATIONS["R018"]["title"] == "Una sola oferta en un procedimiento competitivo"
        assert GROUP_LABELS["Tenderer"] == "Licitante o proveedor"
        assert str(DISCLAIMER).startswith("Una bandera roja es una señal")
    with translation.override("en"):
        flag = describe({"R018": 1.0})[0]
        assert flag["title"] == "A single bid in a competitive procedure"
        assert type(flag["description"]) is str  # plain strings, for JSON too
        assert flag["description"].startswith("The procedure was open or by invitation")
        assert GROUP_LABELS["Buyer"] == "Buyer"
        assert str(DISCLAIMER).startswith("A red flag is a signal")
        # Every indicator has its title, description and value meaning in English.
        for code, text in EXPLANATIONS.items():
            with translation.override("es-mx"):
                spanish = EXPLANATIONS[code]
            assert all(text[k] != spanish[k] for k in ("title", "description")), code
