"""Settings (Cardinal's INI format), global options and exclusions, with worked examples."""

import io
import json

import orjson
import pytest

from cocrea.money.redflags import Settings, SettingsError, dumps, parse_settings, run


def compute(releases, ini, *, meta=False, map=False):
    data = b"".join(orjson.dumps(r) + b"\n" for r in releases)
    result, _ = run(io.BytesIO(data), parse_settings(ini), meta=meta, map=map)
    # As printed: NaN (no data for a quartile) becomes null.
    return json.loads(dumps(result))


def period(ocid, start, end, **tender):
    return {
        "ocid": ocid,
        "tender": {"tenderPeriod": {"startDate": start, "endDate": end}, **tender},
    }


def bids_process(ocid, winner_amount, loser_amount, *, currency="USD", **extra):
    return {
        "ocid": ocid,
        "bids": {
            "details": [
                {
                    "status": "valid",
                    "tenderers": [{"id": "W"}],
                    "value": {"amount": winner_amount, "currency": currency},
                },
                {
                    "status": "valid",
                    "tenderers": [{"id": "L"}],
                    "value": {"amount": loser_amount, "currency": currency},
                },
            ]
        },
        "awards": [{"status": "active", "suppliers": [{"id": "W"}]}],
        **extra,
    }


TEN_DAYS = ("2024-03-01T09:00:00-06:00", "2024-03-11T09:00:00-06:00")


# --- R003 ---------------------------------------------------------------------------------


def test_r003_default_and_threshold():
    releases = [
        period("ten", *TEN_DAYS),
        period("twenty", "2024-03-01T00:00:00Z", "2024-03-21T00:00:00Z"),
    ]
    assert compute(releases, "[R003]") == {"OCID": {"ten": {"R003": 1.0}}}
    assert compute(releases, "[R003]\nthreshold = 10") == {}
    assert compute(releases, "[R003]\nthreshold = 21") == {
        "OCID": {"ten": {"R003": 1.0}, "twenty": {"R003": 1.0}}
    }


def test_r003_whole_days_and_time_zones():
    releases = [
        # 14 days and 23:59:59: 14 whole days.
        period("almost", "2024-01-01T00:00:00Z", "2024-01-15T23:59:59Z"),
        # 15 days by the clock, but the offsets make it 14 days and 22 hours.
        period("offsets", "2024-01-01T00:00:00-01:00", "2024-01-16T00:00:00+01:00"),
        # Exactly 15 days.
        period("exact", "2024-01-01T00:00:00.5Z", "2024-01-16T00:00:00.5Z"),
        # Not RFC 3339 date-times: not evaluated.
        period("dates", "2024-01-01", "2024-01-02"),
        period("naive", "2024-01-01T00:00:00", "2024-01-02T00:00:00"),
        period("invalid", "2024-02-30T00:00:00Z", "2024-03-01T00:00:00Z"),
        {"ocid": "nothing", "tender": {}},
    ]
    assert compute(releases, "[R003]") == {
        "OCID": {"almost": {"R003": 1.0}, "offsets": {"R003": 1.0}}
    }


def test_r003_thresholds_per_procurement_method_details():
    releases = [
        period("cotizacion", *TEN_DAYS, procurementMethodDetails="Cotización"),
        period("licitacion", *TEN_DAYS, procurementMethodDetails="Licitación de Seguros"),
        period("otro", *TEN_DAYS, procurementMethodDetails="Otro"),
    ]
    ini = "[R003.procurement_method_details]\nCotización = 7\nLicitación de Seguros = 11\n"
    assert compute(releases, ini) == {"OCID": {"licitacion": {"R003": 1.0}, "otro": {"R003": 1.0}}}


def test_r003_procurement_methods():
    releases = [
        period("open", *TEN_DAYS, procurementMethod="open"),
        period("direct", *TEN_DAYS, procurementMethod="direct"),
        period("unset", *TEN_DAYS),
    ]
    ini = "[R003]\nprocurement_methods = open|selective|limited"
    assert compute(releases, ini) == {"OCID": {"open": {"R003": 1.0}}}


# --- R018 ---------------------------------------------------------------------------------


def test_r018_procurement_methods():
    def process(ocid, method, number):
        return {"ocid": ocid, "tender": {"procurementMethod": method, "numberOfTenderers": number}}

    releases = [
        process("open", "open", 1),
        process("selective", "selective", 1),
        process("direct", "direct", 1),
        process("two", "open", 2),
        process("float", "open", 1.0),  # not an integer, as in Cardinal
    ]
    assert compute(releases, "[R018]") == {
        "OCID": {"open": {"R018": 1.0}, "selective": {"R018": 1.0}}
    }
    assert compute(releases, "[R018]\nprocurement_methods = direct # only direct") == {
        "OCID": {"direct": {"R018": 1.0}}
    }


# --- R024 / R058 --------------------------------------------------------------------------


def test_r024_fixed_threshold():
    # Differences: 99 for "a", 1 for the others.
    releases = [bids_process("a", 1, 100), *(bids_process(str(i), 1, 2) for i in range(4))]
    result = compute(releases, "[R024]\nthreshold = 2", meta=True)
    assert result["OCID"] == {str(i): {"R024": 1.0} for i in range(4)}
    assert result["Tenderer"] == {"W": {"R024": 0.0}, "L": {"R024": 0.0}}
    # With a fixed threshold, Meta has only the fence.
    assert result["Meta"] == {"R024": {"lower_fence": 2.0}}


def test_r058_fixed_threshold_and_fence():
    releases = [bids_process("a", 1, 2), *(bids_process(str(i), 1, 100) for i in range(4))]
    assert compute(releases, "[R058]\nthreshold = 100") == {}
    result = compute(releases, "[R058]\nthreshold = 0.5", meta=True)
    assert set(result["OCID"]) == {"a", "0", "1", "2", "3"}
    assert result["Tenderer"] == {"W": {"R058": 0.0}}
    assert result["Meta"] == {"R058": {"upper_fence": 0.5}}


def test_r024_r058_exclusions():
    # Differences 8 to 12: alone, none is an outlier; 0.5 is one.
    base = [bids_process(str(i), 1, 9 + i) for i in range(5)]
    cases = {
        "pending award": bids_process(
            "x",
            1,
            1.5,
            awards=[{"status": "active", "suppliers": [{"id": "W"}]}, {"status": "pending"}],
        ),
        "two active awards": bids_process(
            "x",
            1,
            1.5,
            awards=[
                {"status": "active", "suppliers": [{"id": "W"}]},
                {"status": "active", "suppliers": [{"id": "W"}]},
            ],
        ),
        "two suppliers": bids_process(
            "x", 1, 1.5, awards=[{"status": "active", "suppliers": [{"id": "W"}, {"id": "X"}]}]
        ),
        "winner not lowest": bids_process("x", 2, 1.5),
        "other currency": bids_process("x", 1, 1.5, currency="MXN"),
    }
    assert compute(base, "[R024]") == {}
    kept = compute([*base, bids_process("x", 1, 1.5)], "[R024]")
    assert kept == {
        "OCID": {"x": {"R024": 0.5}},
        "Tenderer": {"W": {"R024": 0.0}, "L": {"R024": 0.0}},
    }
    for name, release in cases.items():
        assert compute([*base, release], "[R024]") == {}, name


def test_cancelled_awards_are_previous_attempts():
    release = bids_process(
        "x",
        1,
        1.5,
        awards=[
            {"status": "cancelled", "suppliers": [{"id": "C"}]},
            {"status": "unsuccessful", "suppliers": [{"id": "U"}]},
            {"status": "active", "suppliers": [{"id": "W"}]},
        ],
    )
    # Differences 8 to 12: alone, none is an outlier; 0.5 is one.
    base = [bids_process(str(i), 1, 9 + i) for i in range(5)]
    assert compute([*base, release], "[R024]")["OCID"] == {"x": {"R024": 0.5}}


# --- currency and price comparison ----------------------------------------------------------


def test_currency_setting_and_first_observed_currency():
    usd = [bids_process("a", 1, 100), *(bids_process(str(i), 1, 2) for i in range(4))]
    assert compute(usd, "currency = MXN\n[R058]", meta=True) == {
        "Meta": {"R058": {"q1": None, "q3": None, "upper_fence": None}}
    }
    # Without the setting, the first currency seen is the main currency.
    mixed = [bids_process("m", 1, 100, currency="MXN"), *usd]
    result = compute(mixed, "[R058]")
    assert result == {"OCID": {"m": {"R058": 99.0}}, "Tenderer": {"W": {"R058": 0.0}}}


def test_no_price_comparison_procurement_methods():
    def r028(ocid, **tender):
        return {
            "ocid": ocid,
            "tender": tender,
            "bids": {
                "details": [
                    {
                        "status": "valid",
                        "value": {"amount": 5, "currency": "MXN"},
                        "tenderers": [{"id": "A"}],
                    },
                    {
                        "status": "valid",
                        "value": {"amount": 5, "currency": "MXN"},
                        "tenderers": [{"id": "B"}],
                    },
                ]
            },
        }

    releases = [
        r028("sorteo", procurementMethodDetails="Sorteo de Obras"),
        r028("subasta", procurementMethodDetails="Subasta Inversa"),
        r028("unset"),
    ]
    deny = "no_price_comparison_procurement_methods = Random Selection|Sorteo de Obras\n[R028]"
    assert set(compute(releases, deny)["OCID"]) == {"subasta", "unset"}
    allow = "price_comparison_procurement_methods = Subasta Inversa\n[R028]"
    assert set(compute(releases, allow)["OCID"]) == {"subasta"}
    # The allow list wins when both are set.
    both = "price_comparison_procurement_methods = Subasta Inversa\n" + deny
    assert set(compute(releases, both)["OCID"]) == {"subasta"}


def test_exclusions_cancelled_and_ocid():
    releases = [
        period("kept", *TEN_DAYS, procurementMethodDetails="Licitación"),
        period("excluded", *TEN_DAYS, procurementMethodDetails="Sorteo de Obras"),
        period("cancelled", *TEN_DAYS, status="cancelled"),
        {"ocid": 7, "tender": {"tenderPeriod": {"startDate": TEN_DAYS[0], "endDate": TEN_DAYS[1]}}},
    ]
    ini = "[exclusions]\nprocurement_method_details = Random Selection|Sorteo de Obras\n[R003]"
    assert compute(releases, ini) == {"OCID": {"kept": {"R003": 1.0}}}


# --- R025 / R035 / R038 / R048 ------------------------------------------------------------


def r025_releases():
    releases = [
        {
            "ocid": "0",
            "bids": {"details": [{"status": "valid", "tenderers": [{"id": "F"}]}]},
            "awards": [{"status": "active", "suppliers": [{"id": "F"}]}],
        }
    ]
    for i in range(1, 6):
        releases.append(
            {
                "ocid": str(i),
                "bids": {
                    "details": [
                        {"status": "valid", "tenderers": [{"id": "F"}]},
                        {"status": "valid", "tenderers": [{"id": str(i)}]},
                    ]
                },
                "awards": [{"status": "active", "suppliers": [{"id": str(i)}]}],
            }
        )
    return releases


def test_r025_threshold_and_percentile():
    releases = r025_releases()
    assert compute(releases, "[R025]\nthreshold = 0.1") == {}
    assert compute(releases, "[R025]\nthreshold = 0.2") == {"Tenderer": {"F": {"R025": 1 / 6}}}
    # F has the most bids: still a top tenderer at the 100th percentile.
    result = compute(releases, "[R025]\npercentile = 100", meta=True)
    assert result["Tenderer"] == {"F": {"R025": 1 / 6}}
    assert result["Meta"]["R025"]["upper_fence"] == 6.0


def test_r035_threshold():
    def process(ocid, disqualified):
        details = [{"status": "valid", "tenderers": [{"id": "V"}]}]
        details += [{"status": "disqualified", "tenderers": [{"id": d}]} for d in disqualified]
        return {
            "ocid": ocid,
            "bids": {"details": details},
            "awards": [{"status": "active", "suppliers": [{"id": "V"}]}],
        }

    releases = [process("one", ["D"]), process("two", ["D", "E", "D"]), process("none", [])]
    assert compute(releases, "[R035]") == {
        "OCID": {"one": {"R035": 1.0}, "two": {"R035": 2.0}},
        "Tenderer": {"V": {"R035": 0.0}},
    }
    assert compute(releases, "[R035]\nthreshold = 2") == {
        "OCID": {"two": {"R035": 2.0}},
        "Tenderer": {"V": {"R035": 0.0}},
    }


def r038_releases():
    releases = [
        {
            "ocid": "0",
            "buyer": {"id": "B"},
            "bids": {
                "details": [
                    {"status": "valid", "tenderers": [{"id": "W1"}]},
                    {"status": "disqualified", "tenderers": [{"id": "D"}]},
                ]
            },
        }
    ]
    for i in range(1, 5):
        releases.append(
            {
                "ocid": str(i),
                "buyer": {"id": str(i)},
                "bids": {"details": [{"status": "valid", "tenderers": [{"id": f"W{i + 1}"}]}]},
            }
        )
    return releases


def test_r038_minimums_and_threshold():
    releases = r038_releases()
    assert compute(releases, "[R038]\nthreshold = 0.6") == {}
    # The minimum is compared with the number of submitted bids (B received 2).
    assert compute(releases, "[R038]\nminimum_contracting_processes = 3") == {}
    result = compute(releases, "[R038]\nminimum_submitted_bids = 1", meta=True)
    assert result["Buyer"] == {"B": {"R038": 0.5}}
    assert result["Tenderer"] == {"D": {"R038": 1.0}}
    assert result["Meta"]["R038"] == {
        "Buyer_q1": 0.5,
        "Buyer_q3": 0.5,
        "Buyer_upper_fence": 0.5,
        "Tenderer_q1": 0.0,
        "Tenderer_q3": 0.0833,
        "Tenderer_upper_fence": 0.2083,
    }


def test_r038_procuring_entity():
    releases = r038_releases()
    for release in releases:
        release["tender"] = {"procuringEntity": {"id": "P" + release["buyer"]["id"]}}
    result = compute(releases, "[R038]")
    assert result == {"Buyer": {"B": {"R038": 0.5}}, "ProcuringEntity": {"PB": {"R038": 0.5}}}


def r048_releases():
    def award(supplier, *codes):
        return {
            "status": "active",
            "suppliers": [{"id": supplier}],
            "items": [{"classification": {"id": c}} for c in codes],
        }

    return [
        {"ocid": "F", "awards": [award("F", "10000000", "11000000")]},
        *({"ocid": str(i), "awards": [award(str(i), "10000000")]} for i in range(1, 5)),
    ]


def test_r048_threshold_digits_and_minimum():
    releases = r048_releases()
    assert compute(releases, "[R048]") == {}  # nobody is awarded in 20 processes
    assert compute(releases, "[R048]\nminimum_contracting_processes = 1\nthreshold = 3") == {}
    assert compute(releases, "[R048]\nminimum_contracting_processes = 1\nthreshold = 2") == {
        "Tenderer": {"F": {"R048": 2.0}}
    }
    # With one digit, every supplier has one category, which is also the fence.
    one_digit = compute(releases, "[R048]\nminimum_contracting_processes = 1\ndigits = 1")
    assert one_digit == {"Tenderer": {k: {"R048": 1.0} for k in ["F", "1", "2", "3", "4"]}}


# --- the settings file itself -------------------------------------------------------------


def test_settings_file_format():
    settings = parse_settings(
        "; comment\n# another\ncurrency = MXN\n\n[exclusions]\nprocurement_method_details = A|B\n"
        "[R003]\nthreshold = 15 ; default\n[R025]\npercentile = 75\nthreshold = 0.05\n"
        "[R036]\n[defaults]\ncurrency = MXN\n"
    )
    assert settings.enabled == {"R003", "R025", "R036"}
    assert settings.currency == "MXN"
    assert settings.exclusions == {"procurement_method_details": "A|B"}
    assert settings.get("R003", "threshold") == 15
    assert settings.get("R025", "threshold") == 0.05


def test_no_settings_file_means_every_indicator_but_an_empty_file_means_none():
    assert len(Settings.all_defaults().enabled) == 11
    assert parse_settings("").enabled == set()
    assert compute([period("ten", *TEN_DAYS)], "", meta=True) == {"Meta": {}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[R999]", "línea 1: sección desconocida [R999]"),
        ("[R003]\nthreshold = quince", "línea 2: se esperaba un número entero"),
        ("[R035]\nthreshold = -1", "línea 2: se esperaba un número natural"),
        ("[R024]\nthreshold = abc", "línea 2: se esperaba un número decimal"),
        ("[R024]\npercentile = 5", "línea 2: propiedad desconocida «percentile» en [R024]"),
        ("colour = red", "línea 1: propiedad global desconocida «colour»"),
        ("[R024]\njust text", "línea 2: se esperaba «nombre = valor»"),
    ],
)
def test_settings_errors_name_the_line(text, message):
    with pytest.raises(SettingsError) as caught:
        parse_settings(text, "x.ini")
    assert message in str(caught.value)
    assert str(caught.value).startswith("x.ini, ")


# --- edge cases of the per-process indicators ------------------------------------------------


def bid(tenderer, amount=None, status="valid", currency="USD", **extra):
    out = {"status": status, "tenderers": [{"id": t} for t in tenderer.split("+")], **extra}
    if amount is not None:
        out["value"] = {"amount": amount, "currency": currency}
    return out


def test_r028_edge_cases():
    def process(ocid, *bids):
        return {"ocid": ocid, "bids": {"details": list(bids)}}

    releases = [
        process("same price", bid("V", 1), bid("D", 1.0, "disqualified")),
        process("same tenderer twice", bid("T", 1), bid("T", 1, "disqualified")),
        process("same consortium", bid("A+Z", 1), bid("Z+A", 1)),
        process("other decimals", bid("V", 1.0), bid("D", 1.1)),
        process("other currency", bid("V", 1), bid("D", 1, currency="MXN")),
        process("not submitted", bid("V", 1), bid("D", 1, "withdrawn"), bid("I", 1, "invited")),
    ]
    assert compute(releases, "[R028]") == {
        "OCID": {"same price": {"R028": 1.0}},
        "Tenderer": {"V": {"R028": 1.0}, "D": {"R028": 1.0}},
    }


def test_r030_only_the_winner_late():
    def process(ocid, supplier, *bids):
        return {
            "ocid": ocid,
            "tender": {"tenderPeriod": {"endDate": "2024-03-15T00:00:00Z"}},
            "bids": {"details": list(bids)},
            "awards": [{"status": "active", "suppliers": [{"id": supplier}]}],
        }

    late, on_time = "2024-04-01T00:00:00Z", "2024-03-14T00:00:00Z"
    releases = [
        process("late winner", "W", bid("W", date=late), bid("L", date=on_time)),
        process("late loser", "W", bid("W", date=on_time), bid("L", date=late)),
        process("late but disqualified", "W", bid("W", status="disqualified", date=late)),
    ]
    assert compute(releases, "[R030]") == {
        "OCID": {"late winner": {"R030": 1.0}},
        "Tenderer": {"W": {"R030": 1.0}},
    }


def test_r036_edge_cases():
    def process(ocid, *bids, award="active"):
        return {"ocid": ocid, "bids": {"details": list(bids)}, "awards": [{"status": award}]}

    releases = [
        process("flag", bid("D", 1, "disqualified"), bid("V", 2)),
        process("lowest valid", bid("D", 3, "disqualified"), bid("V", 2)),
        process("no valid bid", bid("D", 1, "disqualified")),
        process("no active award", bid("D", 1, "disqualified"), bid("V", 2), award="pending"),
        process(
            "ignored invited", bid("I", 0.5, "invited"), bid("D", 1, "disqualified"), bid("V", 2)
        ),
    ]
    assert compute(releases, "[R036]") == {
        "OCID": {"flag": {"R036": 1.0}, "ignored invited": {"R036": 1.0}}
    }


def test_wrong_types_are_ignored_not_fatal():
    releases = [
        {"ocid": "a", "tender": {"procurementMethod": ["open"], "numberOfTenderers": 1}},
        {"ocid": "b", "tender": [], "bids": [], "awards": {}, "buyer": "B"},
        {"ocid": "c", "tender": {"tenderPeriod": {"startDate": 1, "endDate": None}}},
        {"ocid": "d", "bids": {"details": ["x", {"status": 3, "tenderers": "T"}]}},
    ]
    ini = "[R003]\nprocurement_methods = open\n[R018]\n" + "".join(
        f"[{c}]\n" for c in ("R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")
    )
    assert compute(releases, ini) == {}
