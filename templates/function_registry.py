"""Our implementation of each upstream function class; a new function is one line here."""

from __future__ import annotations

from typing import Final

from templates import cfn_functions as cfn
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
    "hot_funcs.ReplaceJsonStrict": hot.ReplaceJsonStrict,
    "hot_funcs.ReplaceJsonVeryStrict": hot.ReplaceJsonVeryStrict,
    "hot_funcs.GetFile": hot.GetFile,
    "hot_funcs.MapMerge": hot.MapMerge,
    "hot_funcs.MapReplace": hot.MapReplace,
    "hot_funcs.ResourceFacade": hot.ResourceFacade,
    "hot_funcs.Repeat": hot.Repeat,
    "hot_funcs.RepeatWithMap": hot.RepeatWithMap,
    "hot_funcs.RepeatWithNestedLoop": hot.RepeatWithNestedLoop,
    "hot_funcs.Digest": hot.Digest,
    "hot_funcs.StrSplit": hot.StrSplit,
    "hot_funcs.Yaql": hot.Yaql,
    "hot_funcs.Equals": hot.Equals,
    "hot_funcs.If": hot.If,
    "hot_funcs.IfNullable": hot.IfNullable,
    "hot_funcs.Not": hot.Not,
    "hot_funcs.And": hot.And,
    "hot_funcs.Or": hot.Or,
    "hot_funcs.Filter": hot.Filter,
    "hot_funcs.MakeURL": hot.MakeURL,
    "hot_funcs.ListConcat": hot.ListConcat,
    "hot_funcs.ListConcatUnique": hot.ListConcatUnique,
    "hot_funcs.Contains": hot.Contains,
    "cfn_funcs.FindInMap": cfn.FindInMap,
    "cfn_funcs.GetAZs": cfn.GetAZs,
    "cfn_funcs.Ref": cfn.Ref,
    "cfn_funcs.ParamRef": cfn.ParamRef,
    "cfn_funcs.GetAtt": cfn.GetAtt,
    "cfn_funcs.Select": cfn.Select,
    "cfn_funcs.Join": cfn.Join,
    "cfn_funcs.Split": cfn.Split,
    "cfn_funcs.Replace": cfn.Replace,
    "cfn_funcs.Base64": cfn.Base64,
    "cfn_funcs.MemberListToMap": cfn.MemberListToMap,
    "cfn_funcs.ResourceFacade": cfn.ResourceFacade,
    "cfn_funcs.If": cfn.If,
    "cfn_funcs.Equals": cfn.Equals,
    "cfn_funcs.Not": cfn.Not,
    "cfn_funcs.And": cfn.And,
    "cfn_funcs.Or": cfn.Or,
}


def implementation(upstream_name: str) -> FunctionEntry:
    """Our class for an upstream function class, or NOT_IMPLEMENTED."""
    return IMPLEMENTATIONS.get(upstream_name, NOT_IMPLEMENTED)


def description(upstream_name: str) -> str:
    """The functions API's description: the summary line of the implementing class."""
    impl = IMPLEMENTATIONS.get(upstream_name)
    doc = (impl.__doc__ or "") if impl is not None else ""
    return doc.strip().split("\n")[0].strip()
