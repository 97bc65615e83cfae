import pytest

from cocrea.territory.models import Adhesion, Entity
from cocrea.territory.selectors import adhesions_by_year, entity_lookup, find_entity
from cocrea.territory.services import load_reference

SEED_2015 = [
    "Morelos", "Durango", "Oaxaca", "Baja California", "Tlaxcala", "Hidalgo", "Chiapas",
    "Jalisco", "Zacatecas", "Coahuila", "San Luis Potosí", "Tabasco", "Veracruz",
]  # fmt: skip
SEED_2016 = [
    "Sonora", "Sinaloa", "Nuevo León", "Campeche", "Ciudad de México", "Estado de México",
    "Guerrero", "Michoacán", "Querétaro", "Chihuahua",
]  # fmt: skip
SEED_2017 = ["Guanajuato", "Quintana Roo", "Baja California Sur"]


def test_the_32_entities_have_inegi_codes_and_official_names(reference):
    assert sorted(reference) == [f"{n:02d}" for n in range(1, 33)]
    assert reference["05"].name == "Coahuila de Zaragoza"
    assert reference["05"].common_name == "Coahuila"
    assert reference["09"].name == "Ciudad de México"
    assert reference["15"].name == "México"
    assert reference["15"].common_name == "Estado de México"
    assert reference["16"].common_name == "Michoacán"
    assert reference["30"].common_name == "Veracruz"
    assert reference["01"].name == "Aguascalientes"
    assert reference["32"].name == "Zacatecas"
    assert len({e.slug for e in reference.values()}) == 32
    assert len({e.map_id for e in reference.values()}) == 32


def test_adhesions_are_exactly_those_of_the_seed_in_its_order(reference):
    by_year = adhesions_by_year()
    assert list(by_year) == [2015, 2016, 2017]
    assert [e.common_name for e in by_year[2015]] == SEED_2015
    assert [e.common_name for e in by_year[2016]] == SEED_2016
    assert [e.common_name for e in by_year[2017]] == SEED_2017
    assert Adhesion.objects.count() == 26


def test_reloading_reference_changes_nothing(reference):
    before = list(Entity.objects.values().order_by("code"))
    adhesions = list(Adhesion.objects.values("entity_id", "year", "source_order").order_by("id"))
    assert load_reference() == {"entities": 32, "adhesions": 26, "municipalities": 54}
    assert list(Entity.objects.values().order_by("code")) == before
    assert (
        list(Adhesion.objects.values("entity_id", "year", "source_order").order_by("id"))
        == adhesions
    )


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("15", "15"),
        ("9", "09"),
        ("MÉXICO", "15"),
        ("estado de mexico", "15"),
        ("Coahuila de Zaragoza", "05"),
        ("coahuila", "05"),
        ("Michoacan de Ocampo", "16"),
        ("  ciudad   de méxico ", "09"),
        ("CDMX", "09"),
        ("veracruz de ignacio de la llave", "30"),
        ("san-luis-potosi", "24"),
    ],
)
def test_entity_lookup_ignores_case_and_accents(reference, spelling, code):
    assert find_entity(spelling, entity_lookup()).code == code


def test_unknown_entity_is_not_guessed(reference):
    assert find_entity("Atlantis") is None
    assert find_entity("") is None
