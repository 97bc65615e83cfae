"""Compile the releases of one contracting process exactly as ocdsmerge/ocdskit do, but fast.

ocdsmerge flattens every release into ``{path tuple: value}``, updates one dict with all of them
(in date order) and unflattens the result. This module gives the same result by merging each
release directly into a tree, walking a precomputed rule tree (see `schema.rule_tree`):

* leaves (scalars, arrays of non-objects, ``wholeListMerge`` arrays) overwrite earlier values;
  a ``null`` leaf hides the key in the output (but not its parents, which stay as ``{}``);
* objects are merged key by key; empty objects and arrays contribute nothing;
* arrays of objects are merged by ``id`` (``str(id)`` as in ocdsmerge's ``IdValue``); objects
  without ``id`` are always appended; the first appearance fixes an object's position;
* ``omitWhenMerged`` fields (and ``tag``) are dropped; the compiled release gets
  ``tag: ["compiled"]``, ``id: "<ocid>-<date of the last release>"``, ``date`` and ``ocid``.

ocdsmerge's result depends on the order of the flattened keys when releases disagree about the
*type* of a field (an object in one release, ``null`` or a string in another; ``id`` 1 in one
release and ``"1"`` in another). Such a process raises `_Conflict` in the fast path and is
recompiled by `reference_compile`, a faithful port of ocdsmerge's algorithm (BSD-3-Clause,
Open Contracting Partnership), so the output stays identical in those cases too.
"""

from __future__ import annotations

import itertools
from operator import itemgetter
from typing import Any

from .schema import OMIT, WHOLE, RuleTree, default_rule_tree


class CompileError(ValueError):
    """A process that ocdskit would refuse to compile (the message says why)."""


class _Conflict(Exception):
    pass


class Obj(dict):
    """An object node built by the merger (as opposed to a leaf value that is a dict)."""

    __slots__ = ()


class Arr(list):
    """An array of objects merged by id; ``index`` maps ``str(id)`` to ``(id, node)``."""

    __slots__ = ("index",)


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


def _merge_object(target: Obj, src: dict, rules: _Rules, nones: list) -> bool:
    """Merge ``src`` into ``target``; return whether any flattened leaf was emitted."""
    emitted = False
    omit = rules.omit
    for key, value in src.items():
        kind = type(value)
        if kind is dict:
            if omit and key in omit:
                continue
            if key in rules.whole:
                leaf = True
            elif not value:
                continue  # an empty object contributes nothing
            else:
                current = target.get(key, _MISSING)
                if current is _MISSING:
                    node = Obj()
                    if _fill_object(node, value, rules.children.get(key, _NO_RULES), nones):
                        target[key] = node
                        emitted = True
                elif type(current) is Obj:
                    if _merge_object(current, value, rules.children.get(key, _NO_RULES), nones):
                        emitted = True
                else:
                    raise _Conflict
                continue
        elif kind is list:
            if omit and key in omit:
                continue
            if key in rules.whole:
                leaf = True
            else:
                leaf = False
                for item in value:
                    if type(item) is not dict:
                        leaf = True
                        break
                if not leaf:
                    if not value:
                        continue  # an empty array of objects contributes nothing
                    current = target.get(key, _MISSING)
                    if current is _MISSING:
                        node = Arr()
                        node.index = {}
                        if _merge_array(node, value, rules.children.get(key, _NO_RULES), nones):
                            target[key] = node
                            emitted = True
                    elif type(current) is Arr:
                        if _merge_array(current, value, rules.children.get(key, _NO_RULES), nones):
                            emitted = True
                    else:
                        raise _Conflict
                    continue
        elif omit and key in omit:
            continue
        # A leaf.
        ctype = type(target.get(key))
        if ctype is Obj or ctype is Arr:
            # The object/array was created by an earlier path; ocdsmerge's unflatten only
            # walks through it and ignores this later leaf.
            continue
        target[key] = value
        if value is None:
            nones.append((target, key))
        emitted = True
    return emitted


def _merge_array(target: Arr, items: list, rules: _Rules, nones: list) -> bool:
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
            elif kind is int or kind is float or kind is bool or raw is None:
                key = str(raw)
            else:
                raise _Conflict  # ocdsmerge fails on unhashable ids
            entry = index.get(key)
            if entry is None:
                node = Obj()
                if _fill_object(node, item, rules, nones):
                    index[key] = (raw, node)
                    target.append(node)
                    emitted = True
            else:
                if type(entry[0]) is not kind:
                    raise _Conflict  # e.g. 1 and "1": ocdsmerge splits them by key order
                if _merge_object(entry[1], item, rules, nones):
                    emitted = True
        else:
            node = Obj()
            if _fill_object(node, item, rules, nones):
                target.append(node)
                emitted = True
    return emitted


def _fill_object(target: Obj, src: dict, rules: _Rules, nones: list) -> bool:
    """`_merge_object` into a new, empty ``target`` (no earlier value can conflict)."""
    emitted = False
    omit = rules.omit
    whole = rules.whole
    for key, value in src.items():
        if omit and key in omit:
            continue
        kind = type(value)
        if kind is dict:
            if value and key not in whole:
                node = Obj()
                if _fill_object(node, value, rules.children.get(key, _NO_RULES), nones):
                    target[key] = node
                    emitted = True
                continue
            if not value and key not in whole:
                continue
        elif kind is list and key not in whole:
            for item in value:
                if type(item) is not dict:
                    break
            else:
                if value:
                    node = Arr()
                    node.index = {}
                    if _merge_array(node, value, rules.children.get(key, _NO_RULES), nones):
                        target[key] = node
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
        out = Obj()
        out["tag"] = ["compiled"]
        nones: list = []
        rules = self._rules
        for release in releases:
            ocid = release.get("ocid")
            date = release.get("date")
            out["id"] = f"{ocid}-{date}"
            out["date"] = date
            out["ocid"] = ocid
            _merge_object(out, release, rules, nones)
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
                current[part] = flattened[key]
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
