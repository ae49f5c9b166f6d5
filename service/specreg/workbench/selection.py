"""``-k EXPR``: which cases to run, the way pytest's ``-k`` selects tests.

An expression is words joined by ``and``, ``or``, ``not`` and parentheses
(``qualification and not invalid``); a word holds for a case when it is part
of the case's name, its file's name or one of its tags, case aside. The
expression is parsed with Python's own parser and only those forms are
accepted, so nothing in it is ever evaluated as code.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from specreg.workbench.cases import Case


class BadKeywordExpression(ValueError):
    """An expression that is not words joined by and, or, not and parentheses."""


def keyword_filter(expression: str) -> Callable[[Case], bool]:
    """A predicate on cases for one ``-k`` expression."""
    try:
        tree = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError as error:
        raise BadKeywordExpression(f"-k {expression!r} cannot be parsed") from error
    _check(tree, expression)
    return lambda case: _holds(tree, _haystack(case))


def _haystack(case: Case) -> tuple[str, ...]:
    return tuple(text.casefold() for text in (case.name, case.source.stem, *case.tags))


def _check(node: ast.AST, expression: str) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, expression)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, expression)
    elif not isinstance(node, ast.Name):
        raise BadKeywordExpression(f"-k {expression!r}: only words, and, or, not and parentheses")


def _holds(node: ast.AST, haystack: tuple[str, ...]) -> bool:
    if isinstance(node, ast.BoolOp):
        values = (_holds(value, haystack) for value in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp):
        return not _holds(node.operand, haystack)
    word = node.id.casefold()  # type: ignore[attr-defined]
    return any(word in text for text in haystack)
