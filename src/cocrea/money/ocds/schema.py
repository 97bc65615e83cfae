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
    """A Draft 4 validator of releases (jsonschema-rs); `$ref`s resolve inside the local file.

    As jsonschema's ``Draft4Validator`` without a format checker (what `ocdskit` and the OCDS
    tools use by default), ``format`` is not asserted. Never fetches anything.
    """
    import jsonschema_rs

    return jsonschema_rs.Draft4Validator(load_schema(path), validate_formats=False, offline=True)


def validation_errors(release: Any, limit: int = 3, explain: bool = True) -> list[str]:
    """Human-readable reasons why ``release`` is not a valid OCDS 1.1 release (empty if valid).

    Each reason is ``path: message`` (``(release)`` for the top level). Without ``explain``
    an invalid release gets one generic reason (cheaper when the reasons are not shown).
    """
    validator = release_validator()
    if validator.is_valid(release):
        return []
    if not explain:
        return ["not valid against the OCDS 1.1 release schema"]
    out = []
    for error in validator.iter_errors(release):
        where = "/".join(str(p) for p in error.instance_path) or "(release)"
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        out.append(f"{where}: {message}")
        if len(out) >= limit:
            break
    return out
