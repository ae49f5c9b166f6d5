"""The one reader of the data files an administrator edits (rules, reference, messages, calendar).

In the manner of openfisca-core's one loader for legislation files: every
YAML file of the rule directory is read here, the same way, and checked
against its JSON Schema in ``schemas/``. What the reader guarantees:

* a key written twice in one mapping is an error (plain YAML keeps the last
  silently, so an edit could vanish);
* dates stay as written (``2026-05-27`` is the string the schema checks, not
  a ``datetime.date`` that PyYAML would make of it unquoted);
* every value keeps its line, so an error says ``FILE:LINE: error: ...``;
* a file is read only from inside its rule directory: a symlink out of it is
  refused, and no error quotes a file's content.

Any failure is a :class:`DataFileError` with the file, the line, the JSON
Pointer of the value and the message; every entry point (start-up, reload,
lint, the CLI) reports it as ``FILE:LINE: error: message``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonpointer import JsonPointer
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

PathPart = str | int

# Schemas that other data-file schemas refer to by name (``{"$ref": "quote.schema.json#/..."}``).
SHARED_SCHEMAS = ("quote.schema.json", "input_errors.schema.json")


class DataFileError(Exception):
    """A data file that cannot be used: which file, on which line, at which value, and why."""

    def __init__(self, file: Path, message: str, line: int | None = None, pointer: str | None = None,
                 check: str = "data") -> None:
        self.file, self.message, self.line, self.pointer = Path(file), message, line, pointer
        self.check = check  # what kind of check failed: yaml, duplicate-key, schema, data
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.file}:{self.line or 1}: error: {self.detail}"

    @property
    def detail(self) -> str:
        """Why, and at which value when known: the loader's own (English) words."""
        return f"{self.message} (at {self.pointer})" if self.pointer else self.message

    # The names older callers read.
    @property
    def path(self) -> Path:
        return self.file

    @property
    def problem(self) -> str:
        return self.message


# libyaml's parser when PyYAML was built with it (its wheels are): a rule directory is read at
# start-up, on every reload and by lint, and the pure-Python scanner took most of that time.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader that keeps dates as written and refuses a key written twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


@dataclass(frozen=True)
class DataDocument:
    """A data file's content and its node tree, which knows each value's line."""

    path: Path
    data: Any
    root: yaml.Node | None

    def line(self, path: Sequence[PathPart] = ()) -> int:
        """The 1-based line of the value at ``path``, or of its deepest ancestor that exists."""
        node = self.root
        if node is None:
            return 1
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def key_line(self, path: Sequence[PathPart]) -> int:
        """The line of the key that holds ``path``'s value (a mapping's own line is its first key's)."""
        if not path:
            return 1
        parent = self.root
        for part in path[:-1]:
            parent = _child(parent, part) if parent is not None else None
        if isinstance(parent, yaml.MappingNode):
            for key, _ in parent.value:
                if key.value == path[-1]:
                    return key.start_mark.line + 1
        return self.line(path)

    def error(self, message: str, path: Sequence[PathPart] = (), check: str = "data") -> DataFileError:
        """A :class:`DataFileError` about the value at ``path`` of this file."""
        return DataFileError(self.path, message, self.line(path), pointer(path), check)


def pointer(path: Sequence[PathPart]) -> str:
    """The JSON Pointer of a path of keys and indexes (``/grounds/0/text``; ``/`` for the root)."""
    return JsonPointer.from_parts([str(part) for part in path]).path or "/"


def read_document(path: Path, within: Path | None = None) -> DataDocument:
    """Read one YAML data file; ``within``: the rule directory it must not leave (symlinks included)."""
    return parse_document(path, read_text(path, within))


def read_text(path: Path, within: Path | None = None) -> str:
    """A data file's text, read once; ``within`` as for :func:`read_document`."""
    if within is not None:
        confine(path, within)
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        raise DataFileError(path, f"cannot be read ({error.strerror})", check="yaml") from error
    except UnicodeDecodeError as error:
        raise DataFileError(path, "is not UTF-8 text", check="yaml") from error


def parse_document(path: Path, text: str) -> DataDocument:
    """The data and node tree of a data file's text (``path`` names it in errors)."""
    try:
        loader = _Loader(text)
        try:  # one parse: the node tree keeps the lines, the data is built from that same tree
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except _DuplicateKey as duplicate:
        message = f"the key {duplicate.key!r} is written twice in one mapping (YAML would keep only the last)"
        raise DataFileError(path, message, duplicate.line, check="duplicate-key") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "cannot be parsed"
        line = mark.line + 1 if mark else None
        raise DataFileError(path, f"is not valid YAML: {problem}", line, check="yaml") from None
    return DataDocument(path, data, root)


def check_document(document: DataDocument, schema_name: str, schemas: Path) -> DataDocument:
    """The document, if it meets its schema; else the first violation as a :class:`DataFileError`."""
    for error in schema_errors(document, schema_name, schemas):
        raise document.error(describe(error), list(error.absolute_path), "schema")
    return document


def confine(path: Path, directory: Path) -> None:
    """Refuse a file that resolves outside its rule directory (a symlink pointing out of it)."""
    if not path.resolve().is_relative_to(directory.resolve()):
        raise DataFileError(path, "leads outside the rule directory (a symbolic link?); it is not read")


@cache
def schema_validator(schema_name: str, schemas: Path) -> Draft202012Validator:
    """The validator of one data-file schema, with the shared schemas it may refer to."""
    shared = [
        (name, Resource.from_contents(json.loads((schemas / name).read_text(encoding="utf-8"))))
        for name in SHARED_SCHEMAS
    ]
    schema = json.loads((schemas / schema_name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=Registry().with_resources(shared),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(document: DataDocument, schema_name: str, schemas: Path) -> Iterator[ValidationError]:
    """Every way the document breaks its schema, in document order."""
    errors = schema_validator(schema_name, schemas).iter_errors(document.data)
    yield from sorted(errors, key=lambda error: [str(part) for part in error.absolute_path])


def load_data_file(path: Path, schema_name: str, schemas: Path, within: Path | None = None) -> DataDocument:
    """Read a data file and check it against its schema; the first violation is the error."""
    return check_document(read_document(path, within), schema_name, schemas)


def describe(error: ValidationError) -> str:
    """What a schema violation is, in the schema's terms only: never the file's value itself."""
    rule, expected = error.validator, error.validator_value
    instance = error.instance
    if rule == "required" and isinstance(instance, dict):
        return "lacks the required key(s) " + ", ".join(repr(k) for k in expected if k not in instance)
    if rule == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [repr(str(key)[:40]) for key in instance if key not in allowed]
        return "has key(s) the schema does not allow here: " + ", ".join(extra)
    if rule == "type":
        return f"must be of type {expected!r}"
    if rule in ("enum", "const"):
        return f"must be one of {list(expected) if rule == 'enum' else [expected]!r}"
    if rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"breaks the bound {rule} {expected!r}"
    if rule in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
        return f"breaks the size bound {rule} {expected!r}"
    if rule == "pattern":
        return f"does not match the pattern {expected!r}"
    if rule == "format":
        return f"is not a valid {expected}"
    return f"breaks the schema's {rule!r} rule"


def _child(node: yaml.Node, part: PathPart) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None
