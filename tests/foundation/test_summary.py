from hypothesis import given
from hypothesis import strategies as st

from cocrea.territory.summary import join_es, summary_es

names = st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=8), min_size=1, max_size=12)


@given(names)
def test_join_es_keeps_every_name_in_order(items):
    text = join_es(items)
    position = 0
    for item in items:
        position = text.index(item, position) + len(item)
    if len(items) > 1:
        assert f" y {items[-1]}" in text or f" e {items[-1]}" in text


def test_join_es_uses_e_before_i_sound():
    assert join_es(["Chiapas", "Hidalgo"]) == "Chiapas e Hidalgo"
    assert join_es(["Tabasco", "Veracruz"]) == "Tabasco y Veracruz"


def test_summary_singular_and_empty():
    assert "ninguna de las 32" in summary_es(32, {}, {})
    text = summary_es(32, {2015: ["Morelos"]}, {"authorities": 1})
    assert "1 de las 32 entidades federativas se ha sumado" in text
    assert "En 2015, se sumó Morelos." in text
    assert "participan 1 autoridad." in text
