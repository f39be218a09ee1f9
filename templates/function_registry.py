"""Our implementation of each upstream function class; a new function is one line here."""

from __future__ import annotations

from typing import Final

from templates import hot_functions as hot
from templates.function import NOT_IMPLEMENTED, Function, FunctionEntry, Removed

# Keyed by the upstream implementation name used in function_tables.py.
IMPLEMENTATIONS: Final[dict[str, type[Function]]] = {
    "hot_funcs.Removed": Removed,
    "hot_funcs.GetParam": hot.GetParam,
    "hot_funcs.GetResource": hot.GetResource,
    "hot_funcs.GetAttThenSelect": hot.GetAttThenSelect,
    "hot_funcs.GetAtt": hot.GetAtt,
    "hot_funcs.GetAttAllAttributes": hot.GetAttAllAttributes,
    "hot_funcs.Replace": hot.Replace,
    "hot_funcs.ReplaceJson": hot.ReplaceJson,
    "hot_funcs.Join": hot.Join,
    "hot_funcs.JoinMultiple": hot.JoinMultiple,
}


def implementation(upstream_name: str) -> FunctionEntry:
    """Our class for an upstream function class, or NOT_IMPLEMENTED."""
    return IMPLEMENTATIONS.get(upstream_name, NOT_IMPLEMENTED)
