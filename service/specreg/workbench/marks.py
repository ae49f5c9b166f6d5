"""YAML with line numbers, so that every lint finding can say where it is.

PyYAML's ``compose`` gives the node tree before it becomes Python data; each
node keeps the mark (line, column) where it starts. :class:`MarkedDocument`
holds both the data and the tree and answers "on which line is the value at
this path?" for any path a check or a JSON Schema error names. It also finds
keys written twice in one mapping, which ``safe_load`` silently resolves by
keeping the last.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PathPart = str | int


class UnreadableYaml(Exception):
    """The file cannot be read or parsed; ``line`` is where the parser stopped, if known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class MarkedDocument:
    """A YAML file's data and its node tree."""

    path: Path
    data: Any
    root: yaml.Node | None

    @classmethod
    def read(cls, path: Path) -> MarkedDocument:
        try:
            text = path.read_text(encoding="utf-8")
            return cls(path, yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader))
        except OSError as error:
            raise UnreadableYaml(f"cannot be read ({error.strerror})", None) from error
        except UnicodeDecodeError as error:
            raise UnreadableYaml("is not UTF-8 text", None) from error
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            raise UnreadableYaml(f"is not valid YAML: {problem}", mark.line + 1 if mark else None) from error

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

    def duplicate_keys(self) -> Iterator[tuple[str, int]]:
        """Every key written a second time in the same mapping, with the line of the repeat."""
        stack = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for key, value in node.value:
                    if key.value in seen:
                        yield str(key.value), key.start_mark.line + 1
                    seen.add(key.value)
                    stack.append(value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)


def _child(node: yaml.Node, part: PathPart) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None
