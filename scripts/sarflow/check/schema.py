"""Validate each YAML file against its JSON Schema and say what is wrong in the author's words.

The schemas in schema/ are the same ones VS Code uses while the author types, so the
editor and the check agree. jsonschema reports in a programmer's terms ("'x' is not
of type 'string'"); each of its errors is translated here into a message with the
key's position, a suggestion where one exists (an unknown key names the nearest
known one) and the YAML trap behind it when there is one. Where several errors fall
on one position (a bad date fails both its pattern and its format), only the most
helpful is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from sarflow.check import traps
from sarflow.check.words import listing, nearest
from sarflow.findings import Span
from sarflow.load.yamlfile import KeyPath, YamlDocument

SCHEMAS = {
    "board.yml": "board",
    "review.yml": "review",
    "imr.yml": "imr",
    "chronology.yml": "chronology",
    "actions.yml": "actions",
}
_FIRST = ("unquoted-time", "yaml-boolean", "uk-date", "impossible-date", "unknown-key")
_EXPECTED = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of keys and values",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]+\d{1,2}:\d{2}")
_COMPARE = "compare it with the example review and the description VS Code shows for this key"
_GIVEN = {bool: "true or false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a set of keys and values"}

Problem = tuple[Span, str, str, str | None]  # position, code, message, hint


class SchemaMissing(Exception):
    """A schema file is missing or unreadable: the repository is incomplete (exit 2)."""


def schema_file(root: Path, doc: YamlDocument) -> Path | None:
    name = SCHEMAS.get(PurePosixPath(doc.path).name)
    return root / "schema" / f"{name}.schema.json" if name else None


@lru_cache(maxsize=16)
def _validator(path: Path) -> Draft202012Validator:
    """One validator per schema file, compiled once and reused for every file it checks."""
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaMissing(f"the schema {path} cannot be read ({exc}); restore it from the sarflow repository") from exc
    return Draft202012Validator(_inlined(schema, schema, ()), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _inlined(node: Any, schema: dict[str, Any], seen: tuple[str, ...]) -> Any:
    """The schema with each local `$ref` replaced by `allOf: [<the definition>]`.

    The meaning is the same (in 2020-12 a `$ref` applies alongside its sibling keywords,
    as an allOf does), and an error inside a definition still carries the definition
    as its schema, so messages do not change; but jsonschema no longer resolves a
    reference for every value it checks, which was about half the time check took at
    board scale. A reference it cannot inline (another file, or a definition that
    refers to itself) is left as it is.
    """
    if isinstance(node, list):
        return [_inlined(item, schema, seen) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _inlined(value, schema, seen) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if ref is None:
        return out
    target = _local(schema, ref) if isinstance(ref, str) and ref not in seen else None
    if target is None:
        return {**out, "$ref": ref}
    out["allOf"] = [_inlined(target, schema, (*seen, ref)), *out.get("allOf", [])]
    return out


def _local(schema: dict[str, Any], ref: str) -> Any:
    """The definition a `#/...` reference points to in the same schema, or None."""
    if not ref.startswith("#/"):
        return None
    target: Any = schema
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return None
        target = target[part]
    return target


def check_document(root: Path, doc: YamlDocument) -> list[Problem]:
    """The schema problems of one YAML file (none when the file could not be read)."""
    path = schema_file(root, doc)
    if doc.data is None or path is None:
        return []
    problems = [p for p in [_schema_line(root, doc, path)] if p]
    best: dict[Span, Problem] = {}
    for error in _validator(path).iter_errors(_prepared(PurePosixPath(doc.path).name, doc.data)):
        for problem in _translate(doc, error):
            kept = best.get(problem[0])
            if kept is None or _rank(problem) < _rank(kept):
                best[problem[0]] = problem
    return problems + list(best.values())


def _rank(problem: Problem) -> int:
    return _FIRST.index(problem[1]) if problem[1] in _FIRST else len(_FIRST)


def _schema_line(root: Path, doc: YamlDocument, path: Path) -> Problem | None:
    folder = (root / doc.path).parent
    expected = Path(os.path.relpath(path, folder)).as_posix()
    line = f"# yaml-language-server: $schema={expected}"
    if doc.schema_line is None:
        return (Span(doc.path), "schema-line", "the file does not start with the line that tells VS Code which schema it follows",
                f"add this as the first line: {line}")
    named = doc.schema_line
    if PurePosixPath(named).name == path.name and ("://" in named or (folder / named).resolve() == path.resolve()):
        return None
    return (Span(doc.path), "schema-line", f"the first line names the schema `{named}`, but this file follows {path.name}",
            f"change the first line to: {line}")


def _prepared(name: str, data: Any) -> Any:
    """The data as JSON Schema sees it: dates as ISO text, and what the loader already accepts.

    The loader reads an unquoted year (`date: 2024`) in the chronology as an
    approximate year, and a QA answer written yes/no without quotes as "yes"/"no", so
    the schema is shown those as the text it expects rather than reporting them.
    """

    def walk(value: Any, path: KeyPath) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        if name == "chronology.yml" and len(path) == 3 and path[2] == "date" and type(value) is int and 1000 <= value <= 9999:
            return str(value)
        if name == "imr.yml" and len(path) == 3 and path[0] == "quality_assurance" and path[2] == "answer":
            if isinstance(value, bool):
                return "yes" if value else "no"
            if isinstance(value, str):
                return value.strip().lower()
        return value

    return walk(data, ())


def _translate(doc: YamlDocument, error: ValidationError) -> Iterator[Problem]:
    path: KeyPath = tuple(error.absolute_path)
    if "then" in error.absolute_schema_path and error.validator in ("required", "const"):
        return  # a month or year without approximate: true; the chronology rule says so at the date itself
    if "propertyNames" in error.absolute_schema_path:
        yield _property_name(doc, path, error)
        return
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in known:
                yield _unknown_key(doc, path, key, known)
        return
    if kind == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.schema.get("required", []) if k not in error.instance]
        if missing:
            listed = " or ".join(f"`{k}`" for k in missing)
            yield doc.span(*path), "missing-key", f"{_thing(path, error.schema)} has no {listed}", _describe_missing(error.schema, missing)
        return
    span = doc.span(*path)
    key = _name(path)
    trap = traps.explain(key, _original(doc, path, error.instance), doc.scalars.get(path))
    if trap:
        yield span, *trap
        return
    yield span, *_plain_english(doc, path, key, error)


def _original(doc: YamlDocument, path: KeyPath, prepared: Any) -> Any:
    """The value as YAML read it (for explaining traps), not as it was prepared for the schema."""
    value: Any = doc.data
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return prepared
    return value


def _plain_english(doc: YamlDocument, path: KeyPath, key: str, error: ValidationError) -> tuple[str, str, str | None]:
    value, schema, kind = error.instance, error.schema, error.validator
    scalar = doc.scalars.get(path)
    shown = scalar.text if scalar else _show(value)
    if kind == "type" and value is None:
        return "empty-value", f"`{key}` has no value", "write a value after the colon, or delete the line"
    if kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        given = _GIVEN.get(type(value), "something else")
        message = f"`{key}` should be {_EXPECTED.get(expected, expected)}, but `{shown}` is {given}"
        if not path:
            message = f"the file should hold a set of keys and values, but it holds {given}"
        pattern = schema.get("pattern") if expected == "string" else None
        if isinstance(pattern, str) and not re.search(pattern, shown):  # quoting alone would not do, e.g. time: 1430
            return "wrong-type", message, schema.get("patternErrorMessage") or schema.get("description") or _COMPARE
        return "wrong-type", message, _type_hint(key, expected, shown)
    if kind == "enum":
        return "not-allowed", f"`{shown}` is not one of the allowed values for `{key}`: {listing(error.validator_value)}", _nearest_hint(
            shown, [str(c) for c in error.validator_value])
    if kind in ("pattern", "format"):
        return _badly_written(key, shown, value, error)
    if kind == "minLength":
        return "empty-value", f"`{key}` is empty", "write it, or delete the line"
    if kind == "minimum":
        return "too-small", f"`{key}` must be {error.validator_value} or more, not {shown}", None
    if kind == "minItems":
        return "too-small", f"`{key}` needs at least {error.validator_value} item(s)", "add them on the lines below, each starting with `- `"
    return "invalid-value", f"`{shown}` is not accepted for `{key}`", schema.get("description") or _COMPARE


def _badly_written(key: str, shown: str, value: Any, error: ValidationError) -> tuple[str, str, str | None]:
    """A value that fails its pattern or format: a date with a time, a date in another form, a non-date."""
    schema = error.schema
    hint = schema.get("patternErrorMessage") or schema.get("description")
    if _DATE_TIME.match(shown):
        return ("bad-date", f"`{shown}` has a time in it; `{key}` takes only a date",
                f"write only the date here, e.g. {str(value)[:10]}; in the chronology the time goes under `time:` in quotes")
    if error.validator == "format" and isinstance(value, str) and _ISO_DATE.match(value):
        return "impossible-date", f"`{shown}` is not a real date", "check the day and month: dates are written year-month-day, e.g. 2025-02-28"
    if error.validator == "format" or str(schema.get("pattern", "")).startswith("^\\d{4}"):
        return "bad-date", f"`{shown}` is not a date written year-month-day", hint or "write it year-month-day, e.g. 2025-03-14"
    return "bad-format", f"`{shown}` is not written the way `{key}` needs", hint


def _type_hint(key: str, expected: str, shown: str) -> str:
    return {
        "string": f'put the text in double quotes: {key}: "{shown}"',
        "integer": "write a whole number without quotes, e.g. 1",
        "number": "write a number without quotes",
        "boolean": "write true or false, without quotes",
        "array": "put each item on its own line below, starting with `- `",
        "object": "put the keys on the lines below, indented by two spaces",
    }.get(expected, _COMPARE)


def _unknown_key(doc: YamlDocument, path: KeyPath, key: str, known: list[str]) -> Problem:
    span = doc.key_span(*path, key)
    near = nearest(key, known)
    if near:
        return span, "unknown-key", f"unknown key `{key}`: did you mean `{near}`?", f"rename it to {near}"
    listed = ", ".join(known) if known else "none"
    return span, "unknown-key", f"unknown key `{key}`", f"the keys allowed here are: {listed}"


def _property_name(doc: YamlDocument, path: KeyPath, error: ValidationError) -> Problem:
    key = str(error.instance)
    if error.validator == "enum":
        return _unknown_key(doc, path, key, [str(c) for c in error.validator_value])
    hint = error.schema.get("patternErrorMessage") or "write the key as a plain name"
    return doc.key_span(*path, key), "bad-format", f"`{key}` cannot be used as a key here", hint


def _describe_missing(schema: dict[str, Any], missing: list[str]) -> str:
    props = schema.get("properties", {})
    first = props.get(missing[0], {})
    about = first.get("description") or first.get("title")
    add = " and ".join(f"`{k}:`" for k in missing)
    return f"add {add}" + (f" — {about}" if about else "")


def _thing(path: KeyPath, schema: dict[str, Any]) -> str:
    """What the object at `path` is, for a message: "this chronology entry", "the file"."""
    if not path:
        return "the file"
    title = schema.get("title")
    return f"this {title[0].lower()}{title[1:]}" if isinstance(title, str) else f"`{_name(path)}`"


def _name(path: KeyPath) -> str:
    if not path:
        return "the file"
    if isinstance(path[-1], int):
        parent = next((p for p in reversed(path) if isinstance(p, str)), "the list")
        return f"item {path[-1] + 1} of {parent}"
    return str(path[-1])


def _nearest_hint(word: str, choices: list[str]) -> str:
    near = nearest(word, choices)
    if near:
        return f'did you mean "{near}"? Write it exactly so, with the same capitals'
    return f"write one of: {listing(choices)}"


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)

