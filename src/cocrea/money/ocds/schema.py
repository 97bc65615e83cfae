"""The vendored OCDS 1.1 schema: loading, merge rules and validation (all offline).

Merge rules follow `ocdsmerge.rules.get_merge_rules` exactly (the reference implementation
used by `ocdskit compile`): a JSON path is ``omitWhenMerged`` if the schema says so, or
``wholeListMerge`` if the array says so, holds non-objects, or holds objects without ``id``.
They are precomputed once into a tree (``{key: OMIT | WHOLE | subtree}``) that the merger walks
alongside each release, so no rule is looked up by a tuple path at merge time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
RELEASE_SCHEMA = SCHEMA_DIR / "release-schema.json"

OMIT = "omitWhenMerged"
WHOLE = "wholeListMerge"

MergeRules = dict[tuple[str, ...], str]
RuleTree = dict[str, Any]


@cache
def load_schema(path: str | Path = RELEASE_SCHEMA) -> dict[str, Any]:
    return orjson.loads(Path(path).read_bytes())


def _resolver(root: dict[str, Any]):
    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        # Like jsonref's default (merge_props=False): a {"$ref": ...} object is replaced by its
        # target and sibling keywords are ignored. Only local references occur in OCDS 1.1.
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local $ref are supported, got {ref!r}")
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
            if seen > 50:
                raise ValueError(f"circular $ref {ref!r}")
        return node

    return resolve


def _types(prop: dict[str, Any]) -> list[str]:
    if "type" not in prop:
        return []
    if isinstance(prop["type"], str):
        return [prop["type"]]
    return prop["type"]


def merge_rules(schema: dict[str, Any] | None = None) -> MergeRules:
    """The merge rules as ``{path tuple: "omitWhenMerged" | "wholeListMerge"}`` (as ocdsmerge)."""
    schema = load_schema() if schema is None else schema
    resolve = _resolver(schema)
    rules: MergeRules = {}

    def walk(properties: dict[str, Any], path: tuple[str, ...], depth: int) -> None:
        if depth > 32:  # recursive schemas: stop where ocdsmerge would loop forever
            return
        for key, raw in properties.items():
            value = resolve(raw)
            new_path = (*path, key)
            types = _types(value)
            if value.get("omitWhenMerged") or value.get("mergeStrategy") == "ocdsOmit":
                rules[new_path] = OMIT
            elif "array" in types and (
                value.get("wholeListMerge") or value.get("mergeStrategy") == "ocdsVersion"
            ):
                rules[new_path] = WHOLE
            elif "object" in types and "properties" in value:
                walk(value["properties"], new_path, depth + 1)
            elif "array" in types and "items" in value:
                items = resolve(value["items"])
                item_types = _types(items)
                if any(t != "object" for t in item_types):
                    rules[new_path] = WHOLE
                elif "object" in item_types and "properties" in items:
                    if "id" not in items["properties"]:
                        rules[new_path] = WHOLE
                    else:
                        walk(items["properties"], new_path, depth + 1)

    walk(resolve(schema)["properties"], (), 0)
    return rules


def rule_tree(rules: MergeRules) -> RuleTree:
    """Nest flat merge rules: ``{key: OMIT | WHOLE | {child key: ...}}``."""
    tree: RuleTree = {}
    for path, rule in rules.items():
        node = tree
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[path[-1]] = rule
    return tree


@cache
def default_rule_tree() -> RuleTree:
    return rule_tree(merge_rules())


@cache
def release_validator(path: str | Path = RELEASE_SCHEMA):
    """A jsonschema Draft 4 validator of releases; `$ref`s resolve inside the local file."""
    from jsonschema import Draft4Validator

    schema = load_schema(path)
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


# --- A compiled validator: same verdict as jsonschema's Draft4Validator, ~20x faster ---------
#
# jsonschema dispatches every keyword of every subschema at run time. OCDS 1.1 uses a handful of
# keywords (type, properties, patternProperties, required, items, enum, minLength, minItems,
# uniqueItems, $ref; `format` is not asserted by default), so the schema is compiled once into
# nested closures that only answer "valid or not". jsonschema is used only to explain invalid
# releases. tests/money/test_money_ocds_validate.py checks that both always agree.

_TYPES = {
    "string": lambda v: type(v) is str,
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "null": lambda v: v is None,
    "boolean": lambda v: type(v) is bool,
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) is int or type(v) is float,
}
_PY_TYPES = {
    "string": (str,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}
_SUPPORTED = {
    "type", "properties", "patternProperties", "required", "items", "enum", "minLength",
    "minItems", "uniqueItems", "$ref", "format", "title", "description", "definitions",
    "deprecated", "omitWhenMerged", "wholeListMerge", "codelist", "openCodelist", "id",
    "$schema", "mergeStrategy", "versionId", "default",
}  # fmt: skip


_SCALARS = (str, int, float, bool)


def _is_scalar(value: Any) -> bool:
    return value is None or type(value) in _SCALARS


def _unique(items: list) -> bool:
    if len(items) < 2:
        return True
    if all(type(i) is str for i in items):
        return len(set(items)) == len(items)
    # Canonical JSON (sorted keys) of each item: equal texts are equal values. jsonschema also
    # takes 1 and 1.0 as equal; two objects of one array differing only so are not caught here.
    try:
        texts = {orjson.dumps(i, option=orjson.OPT_SORT_KEYS) for i in items}
    except TypeError:
        from jsonschema._utils import uniq

        return uniq(items)
    return len(texts) == len(items)


def compile_validator(schema: dict[str, Any] | None = None):
    """Return ``is_valid(instance) -> bool`` for the release schema (or another Draft 4 schema
    restricted to the keywords above; others raise ``ValueError``)."""
    import re

    schema = load_schema() if schema is None else schema
    compiled: dict[str, Any] = {}

    def build(node: dict[str, Any]):
        if "$ref" in node:
            ref = node["$ref"]
            if ref not in compiled:
                compiled[ref] = None
                target = _resolver(schema)({"$ref": ref})
                compiled[ref] = build(target)

            def check_ref(v, ref=ref):
                return compiled[ref](v)

            return check_ref
        unknown = set(node) - _SUPPORTED
        if unknown:
            raise ValueError(f"unsupported keywords {sorted(unknown)}")
        checks = []
        if "type" in node:
            types = [node["type"]] if isinstance(node["type"], str) else node["type"]
            if len(types) == 1:
                checks.append(_TYPES[types[0]])
            else:
                allowed = tuple(t for name in types for t in _PY_TYPES[name])
                has_bool = "boolean" in types
                has_int = "integer" in types or "number" in types

                def check_types(v, allowed=allowed, has_bool=has_bool, has_int=has_int):
                    if type(v) is bool:
                        return has_bool
                    if type(v) is int:
                        return has_int
                    return isinstance(v, allowed)

                checks.append(check_types)
        if "enum" in node:
            options = node["enum"]
            scalars = frozenset((type(o), o) for o in options if _is_scalar(o))
            numbers = [o for o in options if type(o) in (int, float)]
            others = [o for o in options if not _is_scalar(o)]

            def check_enum(v, scalars=scalars, numbers=numbers, others=others):
                kind = type(v)
                if v is None or kind in _SCALARS:
                    if (kind, v) in scalars:
                        return True
                    if kind is int or kind is float:  # jsonschema: 1 == 1.0, bools apart
                        return any(o == v for o in numbers)
                    return False
                return any(type(o) is kind and o == v for o in others)

            checks.append(check_enum)
        if "minLength" in node:
            n = node["minLength"]
            checks.append(lambda v, n=n: type(v) is not str or len(v) >= n)
        if "minItems" in node:
            n = node["minItems"]
            checks.append(lambda v, n=n: type(v) is not list or len(v) >= n)
        if node.get("uniqueItems"):
            checks.append(lambda v: type(v) is not list or _unique(v))
        if "items" in node:
            item = build(node["items"])

            def check_items(v, item=item):
                if type(v) is not list:
                    return True
                for i in v:  # noqa: SIM110 - a loop is faster than all(generator)
                    if not item(i):
                        return False
                return True

            checks.append(check_items)
        properties = {k: build(v) for k, v in node.get("properties", {}).items()}
        patterns = [(re.compile(p), build(v)) for p, v in node.get("patternProperties", {}).items()]
        required = tuple(node.get("required", ()))
        if properties or patterns or required:
            # Per key, the checks that apply (properties and matching patternProperties),
            # memoized since the same keys recur in every release.
            by_key: dict[str, tuple] = {}

            def checks_for(key: str) -> tuple:
                found = [properties[key]] if key in properties else []
                found += [check for pattern, check in patterns if pattern.search(key)]
                if len(by_key) < 10_000:
                    by_key[key] = tuple(found)
                return tuple(found)

            def check_object(v, by_key=by_key, required=required, checks_for=checks_for):
                if type(v) is not dict:
                    return True
                for key in required:
                    if key not in v:
                        return False
                for key, value in v.items():
                    found = by_key.get(key)
                    if found is None:
                        found = checks_for(key)
                    for check in found:
                        if not check(value):
                            return False
                return True

            checks.append(check_object)
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]

        def check_all(v, checks=tuple(checks)):
            for check in checks:  # noqa: SIM110 - a loop is faster than all(generator)
                if not check(v):
                    return False
            return True

        return check_all

    return build(schema)


@cache
def fast_release_validator():
    return compile_validator(load_schema())


def validation_errors(release: Any, limit: int = 3, explain: bool = True) -> list[str]:
    """Human-readable reasons why ``release`` is not a valid OCDS 1.1 release (empty if valid).

    The verdict comes from the compiled validator; jsonschema explains invalid releases
    (slowly), unless ``explain`` is false.
    """
    if fast_release_validator()(release):
        return []
    if not explain:
        return ["not valid against the OCDS 1.1 release schema"]
    out = []
    for error in release_validator().iter_errors(release):
        where = "/".join(str(p) for p in error.absolute_path) or "(release)"
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        out.append(f"{where}: {message}")
        if len(out) >= limit:
            break
    return out
