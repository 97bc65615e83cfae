import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_headline_year_list_and_map_link(live_server, page):
    from cocrea.territory.services import load_reference

    load_reference()
    page.goto(live_server.url + "/")
    assert "26 de las 32 entidades federativas" in page.locator("#headline").inner_text()
    year_2017 = page.locator("#anio-2017")
    assert year_2017.locator("li").all_inner_texts() == [
        "Guanajuato",
        "Quintana Roo",
        "Baja California Sur",
    ]
    assert page.locator("#anio-2015 li").count() == 13
    assert page.locator("#anio-2016 li").count() == 10
    link = page.get_by_role("link", name="Jalisco: se sumó en 2015")
    link.click()
    page.wait_for_url("**/entidades/jalisco/")
    assert page.locator("h1").inner_text() == "Jalisco"
    assert "2015" in page.locator("#adhesion").inner_text()
