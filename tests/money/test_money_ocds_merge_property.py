"""Property: `Merger.compile` equals ocdsmerge's compiled release on any releases.

The fast merger adopts unchanged subtrees of the releases instead of rebuilding them and skips
objects equal to what is already merged; these tests generate releases full of what makes that
unsafe (nulls, empty objects and arrays, repeated and numeric ids, objects without id, booleans
beside numbers, type changes between releases, wholeListMerge arrays) and compare the result,
key order aside and then byte for byte, with ocdsmerge's. The releases must come out unchanged.
Both mergers are checked: the plain Python one and the one the build compiled with Cython.
"""

from __future__ import annotations

import copy
import warnings

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cocrea.money.ocds import merge
from cocrea.money.ocds.merge import CompileError, Merger, PyMerger
from cocrea.money.ocds.schema import RELEASE_SCHEMA

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, 2, 1.0, 2.5, 0.0, -0.0, "1", "a", "b", ""]),
)
ids = st.one_of(st.sampled_from(["1", "2", "3"]), st.sampled_from([1, 2, 1.0, True]))


def objects(depth: int):
    """Objects with the keys OCDS uses at several levels, so the merge rules apply."""
    leaf = scalars | st.lists(st.sampled_from(["x", "y", 1]), max_size=2)
    if depth == 0:
        values = leaf
    else:
        child = objects(depth - 1)
        values = st.one_of(
            leaf,
            child,
            st.lists(child, max_size=3),
            st.lists(st.builds(lambda i, o: {"id": i, **o}, ids, child), max_size=3),
        )
    keys = st.sampled_from(
        ["title", "value", "amount", "status", "items", "documents", "roles", "details"]
    )
    return st.dictionaries(keys, values, max_size=4)


parties = st.lists(
    st.builds(
        lambda i, name, roles, extra: {"id": i, "name": name, "roles": roles, **extra},
        ids,
        st.sampled_from(["A", "B", None]),
        st.lists(st.sampled_from(["buyer", "supplier"]), max_size=2),
        st.dictionaries(
            st.sampled_from(["address", "additionalIdentifiers", "identifier"]),
            st.one_of(
                scalars,
                st.dictionaries(st.sampled_from(["region", "id"]), scalars, max_size=2),
                st.lists(st.dictionaries(st.sampled_from(["id", "scheme"]), scalars), max_size=2),
            ),
            max_size=2,
        ),
    ),
    max_size=3,
)

releases = st.lists(
    st.builds(
        lambda date, tag, parties, tender, awards, extra: {
            "ocid": "ocds-x-1",
            "id": f"r-{date}",
            "date": date,
            "tag": tag,
            "parties": parties,
            "tender": tender,
            "awards": awards,
            **extra,
        },
        st.sampled_from(["2024-01-01", "2024-02-01", "2024-03-01"]),
        st.lists(st.sampled_from(["planning", "tender"]), max_size=1),
        parties,
        objects(2),
        st.lists(st.builds(lambda i, o: {"id": i, **o}, ids, objects(1)), max_size=3),
        st.dictionaries(st.sampled_from(["buyer", "planning", "language"]), objects(1)),
    ),
    min_size=1,
    max_size=4,
)


def reference(data: list[dict]) -> dict | Exception:
    from ocdsmerge import Merger as OcdsMerger

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return OcdsMerger(str(RELEASE_SCHEMA)).create_compiled_release(copy.deepcopy(data))
        except Exception as e:  # noqa: BLE001 - the reference's verdict, compared below
            return e


MERGERS = pytest.mark.parametrize(
    "merger", [PyMerger(), Merger()], ids=["python", "compiled"], scope="module"
)


def test_the_compiled_merger_is_built_from_these_sources():
    compiled = merge.load_compiled()
    assert compiled is not None, "the build did not compile merge.py (see hatch_build.py)"
    assert merge.source_digest() == compiled.SOURCE_DIGEST
    assert Merger is compiled.Merger
    assert Merger is not PyMerger
    assert compiled.CompileError is CompileError  # one exception class for both


def test_a_compiled_merger_older_than_its_sources_is_not_used(monkeypatch):
    """After an edit of merge.py without a rebuild, the plain merger is used, with a warning."""
    monkeypatch.setattr(merge, "source_digest", lambda: "edited since the build")
    with pytest.warns(RuntimeWarning, match="older than merge.py"):
        assert merge.load_compiled() is None


@MERGERS
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(releases)
def test_compile_equals_ocdsmerge(merger, data):
    before = orjson.dumps(data)
    expected = reference(data)
    try:
        result = merger.compile(data)
    except CompileError:
        assert isinstance(expected, Exception)
        return
    assert not isinstance(expected, Exception), expected
    assert result == expected
    assert orjson.dumps(result, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
        expected, option=orjson.OPT_SORT_KEYS
    )
    assert orjson.dumps(data) == before  # the releases are not modified


@MERGERS
def test_compiled_releases_copy_and_pickle_whole(merger):
    """Arrays merged by id are list subclasses: copies and pickles keep every item."""
    import pickle

    data = [
        {"ocid": "o", "id": "1", "date": "2024-01-01", "awards": [{"id": "a", "title": "x"}]},
        {"ocid": "o", "id": "2", "date": "2024-02-01", "awards": [{"id": "b", "title": "y"}]},
    ]
    compiled = merger.compile(data)
    assert len(compiled["awards"]) == 2
    for copied in (
        copy.copy(compiled),
        copy.deepcopy(compiled),
        pickle.loads(pickle.dumps(compiled)),
    ):
        assert copied == compiled
        assert orjson.dumps(copied) == orjson.dumps(compiled)


@MERGERS
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(releases)
def test_repeated_identical_releases(merger, data):
    """The same content again in later releases: the equal-object shortcut must be exact."""
    later = [{**copy.deepcopy(r), "date": "2025-01-01", "id": "again"} for r in data]
    whole = data + later
    expected = reference(whole)
    try:
        result = merger.compile(copy.deepcopy(whole))
    except CompileError:
        assert isinstance(expected, Exception)
        return
    assert not isinstance(expected, Exception), expected
    assert orjson.dumps(result, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
        expected, option=orjson.OPT_SORT_KEYS
    )
