"""Compile the releases of one contracting process exactly as ocdsmerge/ocdskit do, but fast.

ocdsmerge flattens every release into ``{path tuple: value}``, updates one dict with all of them
(in date order) and unflattens the result. This module gives the same result by merging each
release directly into a tree, walking a precomputed rule tree (see `schema.rule_tree`):

* leaves (scalars, arrays of non-objects, ``wholeListMerge`` arrays) overwrite earlier values;
  a ``null`` leaf hides the key in the output (but not its parents, which stay as ``{}``);
* objects are merged key by key; empty objects and arrays contribute nothing;
* arrays of objects are merged by ``id`` (``str(id)`` as in ocdsmerge's ``IdValue``); objects
  without ``id`` are always appended; the first appearance fixes an object's position;
* subtrees seen for the first time are adopted as they are when merging could not change
  them, and objects equal to what is already merged are skipped (see "Adoption" below);
* ``omitWhenMerged`` fields (and ``tag``) are dropped; the compiled release gets
  ``tag: ["compiled"]``, ``id: "<ocid>-<date of the last release>"``, ``date`` and ``ocid``.

ocdsmerge's result depends on the order of the flattened keys when releases disagree about the
*type* of a field (an object in one release, ``null`` or a string in another; ``id`` 1 in one
release and ``"1"`` in another). Such a process raises `_Conflict` in the fast path and is
recompiled by `reference_compile`, a faithful port of ocdsmerge's algorithm (BSD-3-Clause,
Open Contracting Partnership), so the output stays identical in those cases too.

Compiled. The build (``hatch_build.py``) compiles a copy of this module with Cython, typed by
``merge.pxd``; `Merger` is that compiled class when it was built from these very sources, and
`PyMerger` is always the plain one (the tests run both).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import warnings
from operator import itemgetter
from pathlib import Path
from typing import Any

from .errors import CompileError
from .schema import OMIT, WHOLE, RuleTree, default_rule_tree


class _Conflict(Exception):
    pass


class Arr(list):
    """An array node: objects merged by id; ``index`` maps ``str(id)`` to ``(id, position)``."""

    __slots__ = ("index",)

    def __reduce__(self):
        # Copies and pickles of a compiled release hold plain arrays (the index only serves
        # the merge). Compiled, this class would otherwise be pickled without its items.
        return (list, (list(self),))


_EMPTY: RuleTree = {}
_MISSING = object()
_by_date = itemgetter("date")


def sort_releases(releases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort by ``date`` (stable), failing where ocdsmerge's `sorted_releases` fails."""
    for release in releases:
        if type(release) is not dict:
            raise CompileError(f"at least one release is a {type(release).__name__}, not an object")
        if "date" not in release:
            raise CompileError("the `date` field of at least one release is missing")
    if len(releases) == 1:
        return releases
    try:
        return sorted(releases, key=_by_date)
    except TypeError as e:
        if any(r["date"] is None for r in releases):
            raise CompileError("the `date` field of at least one release is null") from e
        raise CompileError("the `date` field of at least one release is not a string") from e


class _Rules:
    """One level of the rule tree: keys to omit, whole-list keys, and child levels."""

    __slots__ = ("omit", "whole", "children")

    def __init__(self, tree: RuleTree):
        self.omit = frozenset(k for k, v in tree.items() if v is OMIT or v == OMIT)
        self.whole = frozenset(k for k, v in tree.items() if v is WHOLE or v == WHOLE)
        self.children = {k: _Rules(v) for k, v in tree.items() if isinstance(v, dict)}


_NO_RULES = _Rules({})

# Nodes and leaves. Under a `wholeListMerge` key every value is a leaf. Elsewhere a dict is an
# object node, a list whose items are all objects is an array node (an empty one is never
# stored), and anything else is a leaf. Array nodes become `Arr`, indexed by id, when a later
# release merges into them.
#
# Adoption. A subtree that a process sees for the first time is usually stored as it is, not
# rebuilt: `_clean_object` checks that merging it into nothing would give it back unchanged (no
# ``null``, no empty object or array, no omitted key, arrays of objects whose items all have
# distinct string ids). Adopted subtrees belong to the caller's releases and are never
# modified: merging into one first replaces it with a shallow copy (`_own`) whose children are
# adopted in turn. So a process that must be recompiled by `reference_compile` still has its
# releases intact, and the caller's releases are never changed. A later object equal to an
# adopted one (same JSON text) is skipped: merging it would change nothing.


def _clean_object(src: dict, rules: _Rules) -> bool:
    """Whether merging ``src`` into nothing gives ``src`` itself (same keys, same order)."""
    omit = rules.omit
    whole = rules.whole
    children = rules.children
    for key, value in src.items():
        kind = type(value)
        if kind is dict:
            if key in whole:
                continue
            if not value or key in omit:
                return False
            if not _clean_object(value, children.get(key, _NO_RULES) if children else _NO_RULES):
                return False
        elif kind is list:
            if key in whole:
                continue
            if not value or key in omit:
                return False
            for item in value:
                if type(item) is not dict:
                    break  # a leaf list, stored as it is
            else:
                if not _clean_array(value, children.get(key, _NO_RULES) if children else _NO_RULES):
                    return False
        elif value is None or key in omit:
            return False
    return True


def _clean_array(items: list, rules: _Rules) -> bool:
    seen: set = set()
    for item in items:
        key = item.get("id")
        if type(key) is not str or key in seen:
            return False  # no id, a number (ocdsmerge keys ids by str), or a repeated id
        seen.add(key)
        if not _clean_object(item, rules):
            return False
    return True


def _own(node: dict, adopted: set) -> dict:
    """A modifiable shallow copy of an adopted object; its children stay adopted."""
    copy = node.copy()
    for value in copy.values():
        kind = type(value)
        if kind is dict or kind is list:
            adopted.add(id(value))
    return copy


def _as_arr(items: list, adopted: set) -> Arr:
    """A modifiable, indexed copy of an adopted array node."""
    arr = Arr(items)
    index = {}
    for position, item in enumerate(items):
        adopted.add(id(item))
        index[item["id"]] = (item["id"], position)  # distinct string ids (`_clean_array`)
    arr.index = index
    return arr


def _is_node(value: Any) -> bool:
    """Whether a stored value under a non-wholeListMerge key is an object or array node."""
    kind = type(value)
    if kind is dict or kind is Arr:
        return True
    if kind is list:
        for item in value:  # noqa: SIM110 - compiled, a loop is faster than a generator
            if type(item) is not dict:
                return False
        return True
    return False


def _identical(a: Any, b: Any) -> bool:
    """Whether merging JSON value ``b`` into an equal ``a`` would change nothing: equal, with
    the same types throughout (``1``, ``1.0`` and ``true`` differ; so do ``0.0`` and ``-0.0``);
    the order of keys does not matter (merged keys keep their first position)."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is dict:
        if len(a) != len(b):
            return False
        for key, value in a.items():
            other = b.get(key, _MISSING)
            if other is _MISSING or not _identical(value, other):
                return False
        return True
    if kind is list:
        if len(a) != len(b):
            return False
        for i in range(len(a)):  # noqa: SIM110 - as above
            if not _identical(a[i], b[i]):
                return False
        return True
    if kind is float:
        return a == b and (a != 0.0 or str(a) == str(b))
    return a == b


def _merge_object(target: dict, src: dict, rules: _Rules, adopted: set, nones: list) -> bool:
    """Merge ``src`` into the modifiable ``target``; return whether any flattened leaf was
    emitted (ocdsmerge's flattening of ``src`` was not empty)."""
    emitted = False
    omit = rules.omit
    whole = rules.whole
    children = rules.children
    for key, value in src.items():
        kind = type(value)
        if kind is dict:
            if key in whole:
                pass  # a leaf
            elif not value or key in omit:
                continue  # an empty object contributes nothing
            else:
                child = children.get(key, _NO_RULES) if children else _NO_RULES
                current = target.get(key, _MISSING)
                if current is _MISSING:
                    if _clean_object(value, child):
                        target[key] = value
                        adopted.add(id(value))
                        emitted = True
                    else:
                        node: dict = {}
                        if _fill_object(node, value, child, adopted, nones):
                            target[key] = node
                            emitted = True
                    continue
                if type(current) is not dict:
                    raise _Conflict
                if id(current) in adopted:
                    if _identical(current, value):
                        emitted = True
                        continue
                    current = target[key] = _own(current, adopted)
                if _merge_object(current, value, child, adopted, nones):
                    emitted = True
                continue
        elif kind is list:
            if key in whole:
                pass  # a leaf
            elif key in omit:
                continue
            else:
                for item in value:
                    if type(item) is not dict:
                        break  # a leaf list
                else:
                    if not value:
                        continue  # an empty array of objects contributes nothing
                    child = children.get(key, _NO_RULES) if children else _NO_RULES
                    current = target.get(key, _MISSING)
                    if current is _MISSING:
                        if _clean_array(value, child):
                            target[key] = value
                            adopted.add(id(value))
                            emitted = True
                        else:
                            arr = Arr()
                            arr.index = {}
                            if _merge_array(arr, value, child, adopted, nones):
                                target[key] = arr
                                emitted = True
                        continue
                    ctype = type(current)
                    if ctype is list and _is_node(current):
                        current = target[key] = _as_arr(current, adopted)
                    elif ctype is not Arr:
                        raise _Conflict
                    if _merge_array(current, value, child, adopted, nones):
                        emitted = True
                    continue
        elif key in omit:
            continue
        # A leaf.
        current = target.get(key)
        if current is not None:
            ctype = type(current)
            if (
                (ctype is dict or ctype is Arr or ctype is list)
                and key not in whole
                and (ctype is not list or _is_node(current))
            ):
                # The object/array was created by an earlier path; ocdsmerge's unflatten only
                # walks through it and ignores this later leaf.
                continue
        target[key] = value
        if value is None:
            nones.append((target, key))
        emitted = True
    return emitted


def _merge_array(target: Arr, items: list, rules: _Rules, adopted: set, nones: list) -> bool:
    emitted = False
    index = target.index
    for item in items:
        if not item:
            continue
        if "id" in item:
            raw = item["id"]
            kind = type(raw)
            if kind is str:
                key = raw
            elif kind is int or raw is None:
                key = str(raw)
            else:
                # Floats and booleans: ocdsmerge flattens ids by `str` but rebuilds them by
                # value (1, 1.0 and True are one object); unhashable ids make it fail.
                raise _Conflict
            entry = index.get(key)
            if entry is None:
                if _clean_object(item, rules):
                    index[key] = (raw, len(target))
                    target.append(item)
                    adopted.add(id(item))
                    emitted = True
                else:
                    node: dict = {}
                    if _fill_object(node, item, rules, adopted, nones):
                        index[key] = (raw, len(target))
                        target.append(node)
                        emitted = True
                continue
            if type(entry[0]) is not kind:
                raise _Conflict  # e.g. 1 and "1": ocdsmerge splits them by key order
            position = entry[1]
            node = target[position]
            if id(node) in adopted:
                if _identical(node, item):
                    emitted = True
                    continue
                node = target[position] = _own(node, adopted)
            if _merge_object(node, item, rules, adopted, nones):
                emitted = True
        else:
            node = {}
            if _fill_object(node, item, rules, adopted, nones):
                target.append(node)
                emitted = True
    return emitted


def _fill_object(target: dict, src: dict, rules: _Rules, adopted: set, nones: list) -> bool:
    """`_merge_object` into a new, empty ``target`` (no earlier value can conflict)."""
    emitted = False
    omit = rules.omit
    whole = rules.whole
    children = rules.children
    for key, value in src.items():
        if key in omit:
            continue
        kind = type(value)
        if kind is dict:
            if key not in whole:
                if not value:
                    continue
                child = children.get(key, _NO_RULES) if children else _NO_RULES
                if _clean_object(value, child):
                    target[key] = value
                    adopted.add(id(value))
                    emitted = True
                    continue
                node: dict = {}
                if _fill_object(node, value, child, adopted, nones):
                    target[key] = node
                    emitted = True
                continue
        elif kind is list and key not in whole:
            for item in value:
                if type(item) is not dict:
                    break
            else:
                if value:
                    child = children.get(key, _NO_RULES) if children else _NO_RULES
                    if _clean_array(value, child):
                        target[key] = value
                        adopted.add(id(value))
                        emitted = True
                        continue
                    arr = Arr()
                    arr.index = {}
                    if _merge_array(arr, value, child, adopted, nones):
                        target[key] = arr
                        emitted = True
                continue
        elif value is None:
            nones.append((target, key))
        target[key] = value
        emitted = True
    return emitted


class Merger:
    """Compile releases with merge rules precomputed from a release schema."""

    def __init__(self, rules: RuleTree | None = None):
        rules = default_rule_tree() if rules is None else rules
        # `tag` is popped from each release by ocdsmerge whatever the schema says.
        self.rules = {**rules, "tag": OMIT}
        self._rules = _Rules(self.rules)

    def compile(self, releases: list[dict[str, Any]]) -> dict[str, Any]:
        ordered = sort_releases(releases)
        try:
            return self._fast(ordered)
        except _Conflict:
            return reference_compile(ordered, self.rules)

    def _fast(self, releases: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"tag": ["compiled"]}
        adopted: set = set()
        nones: list = []
        rules = self._rules
        for release in releases:
            ocid = release.get("ocid")
            date = release.get("date")
            out["id"] = f"{ocid}-{date}"
            out["date"] = date
            out["ocid"] = ocid
            _merge_object(out, release, rules, adopted, nones)
        if out["date"] is None:
            nones.append((out, "date"))
        if out["ocid"] is None:
            nones.append((out, "ocid"))
        for node, key in nones:
            if key in node and node[key] is None:
                del node[key]
        return out


# --- Reference algorithm (port of ocdsmerge 0.8 flatten/unflatten) --------------------------

_counter = itertools.count()


class IdValue(str):
    __slots__ = ("identifier", "original_value")

    def __new__(cls, identifier):
        return str.__new__(cls, identifier)

    def __init__(self, identifier):
        self.identifier = identifier
        self.original_value = None


def _flatten(obj, rules: RuleTree, flattened: dict, path: tuple) -> dict:
    if type(obj) is list:
        iterable = []
        for item in obj:
            if "id" in item:
                key = IdValue(item["id"])
                key.original_value = item["id"]
            else:
                key = IdValue(f"\x00{next(_counter)}")  # unique, like ocdsmerge's uuid1
            iterable.append((key, item, rules))
    else:
        iterable = [(key, value, None) for key, value in obj.items()]
    for key, value, list_rules in iterable:
        if list_rules is not None:
            rule = None
            child_rules = list_rules
        else:
            rule = rules.get(key)
            child_rules = rule if type(rule) is dict else _EMPTY
        if rule is OMIT:
            continue
        if (
            rule is WHOLE
            or not isinstance(value, dict | list)
            or (type(value) is list and any(not isinstance(item, dict) for item in value))
        ):
            flattened[(*path, key)] = value
        elif value:
            _flatten(value, child_rules, flattened, (*path, key))
    return flattened


def _unflatten(flattened: dict) -> dict:
    unflattened: dict = {}
    identifiers: dict = {}
    for key in flattened:
        current = unflattened
        for end, part in enumerate(key, 1):
            if type(part) is IdValue:
                id_path = (*key[: end - 1], part.identifier)
                if id_path not in identifiers:
                    node = {}
                    if part.original_value is not None:
                        node["id"] = part.original_value
                    identifiers[id_path] = node
                    try:
                        current.append(node)
                    except AttributeError as e:
                        raise CompileError(
                            f"an earlier release had an object for /{'/'.join(key[: end - 1])}, "
                            "but a later release has an array"
                        ) from e
                current = identifiers[id_path]
            elif not isinstance(current, dict):
                raise CompileError(
                    f"an earlier release had the value {current!r} for "
                    f"/{'/'.join(key[: end - 1])}, but a later release has an object with a "
                    f"{part!r} key"
                )
            elif part in current:
                current = current[part]
            elif end < len(key):
                current[part] = [] if type(key[end]) is IdValue else {}
                current = current[part]
            elif flattened[key] is not None:
                value = flattened[key]
                # ocdsmerge goes on to append to (and set keys in) the arrays and objects it
                # stores here, which belong to the releases: store copies instead.
                kind = type(value)
                current[part] = copy.deepcopy(value) if kind is list or kind is dict else value
    return unflattened


def reference_compile(releases: list[dict[str, Any]], rules: RuleTree) -> dict[str, Any]:
    """ocdsmerge's CompiledRelease, for already sorted releases (slow, exact)."""
    data: dict = {("tag",): ["compiled"]}
    for release in releases:
        ocid = release.get("ocid")
        date = release.get("date")
        flat = _flatten(release, rules, {}, ())
        data[("id",)] = f"{ocid}-{date}"
        data[("date",)] = date
        data[("ocid",)] = ocid
        data.update(flat)
    try:
        return _unflatten(data)
    except TypeError as e:  # e.g. unhashable ids
        raise CompileError(f"cannot merge: {e}") from e


# --- The compiled copy of this module --------------------------------------------------------

PyMerger = Merger
SOURCES = ("merge.py", "merge.pxd")


def source_digest() -> str:
    """The digest of this module's sources, as ``hatch_build.py`` computes it."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()


def load_compiled():
    """The compiled copy of this module (``_cmerge``), if it was built from these sources."""
    try:
        from . import _cmerge
    except ImportError:
        return None
    if source_digest() != _cmerge.SOURCE_DIGEST:
        warnings.warn(
            "the compiled OCDS merge is older than merge.py: using the plain Python merge "
            "(rebuild it with `uv sync --reinstall-package cocrea`)",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    return _cmerge


if not __name__.endswith("._cmerge"):
    _compiled = load_compiled()
    if _compiled is not None:
        Merger = _compiled.Merger  # noqa: F811 - the same class, compiled
