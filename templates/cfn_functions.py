"""CFN intrinsic functions (Ref, Fn::GetAtt, Fn::Join, ...), one class each, as upstream."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from templates import hot_functions as hot
from templates.errors import FunctionArgumentError, InvalidTemplateReference
from templates.function import (
    UNKNOWN,
    EvalContext,
    Function,
    FunctionFactory,
    Reference,
    contains_unknown,
    resolve,
)


class FindInMap(Function):
    """A function for resolving keys in the template mappings.

    Takes the form::

        { "Fn::FindInMap" : [ "mapping", "key", "value" ] }
    """

    def _parse_args(self) -> None:
        if not isinstance(self.args, list | tuple | str) or len(self.args) != 3:
            count = len(self.args) if isinstance(self.args, Collection) else 0
            if count > 3:
                detail = "too many values to unpack (expected 3)"
            else:
                detail = f"not enough values to unpack (expected 3, got {count})"
            raise FunctionArgumentError(detail, quoted=True)

    def result(self, ctx: EvalContext) -> Any:
        name, key, value = (resolve(arg, ctx) for arg in self.args)
        if contains_unknown([name, key, value]):
            return UNKNOWN
        try:
            return ctx.mappings[name][key][value]
        except KeyError as exc:
            raise FunctionArgumentError(str(exc.args[0]), quoted=True) from None
        except TypeError as exc:
            raise FunctionArgumentError(str(exc)) from None


class GetAZs(Function):
    """A function for retrieving the availability zones.

    Takes the form::

        { "Fn::GetAZs" : "<region>" }
    """

    def result(self, ctx: EvalContext) -> Any:
        if ctx.availability_zones is None:
            return UNKNOWN  # only the compute service knows; asked at run time
        return list(ctx.availability_zones)


class ParamRef(Function):
    """A function for resolving parameter references.

    Takes the form::

        { "Ref" : "<param_name>" }
    """

    def result(self, ctx: EvalContext) -> Any:
        name = resolve(self.args, ctx)
        if name is UNKNOWN:
            return UNKNOWN
        try:
            return ctx.parameters[name]
        except (KeyError, TypeError):
            raise InvalidTemplateReference(name, "unknown") from None


class Ref(Function):
    """A function for resolving parameters or resource references.

    Takes the form::

        { "Ref" : "<param_name>" }

    or::

        { "Ref" : "<resource_name>" }

    A template binds it to its resource names (`ref_factory`), as upstream
    decides at parse time; unbound, it decides when resolved.
    """

    def dependencies(self, path: str) -> Iterator[Reference]:
        return super().dependencies(path)

    def result(self, ctx: EvalContext) -> Any:
        name = resolve(self.args, ctx)
        if isinstance(name, str) and name in ctx.resource_names:
            return hot.GetResource(self.fn_name, name).result(ctx)
        return ParamRef(self.fn_name, name).result(ctx)


def ref_factory(resource_names: Collection[str]) -> FunctionFactory:
    """Ref for a template whose resources are `resource_names` (upstream's parse-time choice)."""

    def make(fn_name: str, args: Any) -> Function:
        if isinstance(args, str) and args in resource_names:
            return hot.GetResource(fn_name, args)
        return ParamRef(fn_name, args)

    return make


class GetAtt(hot.GetAttThenSelect):
    """A function for resolving resource attributes.

    Takes the form::

        { "Fn::GetAtt" : [ "<resource_name>", "<attribute_name>" ] }
    """

    def _parse_args(self) -> None:
        if not isinstance(self.args, Sequence) or len(self.args) != 2:
            raise FunctionArgumentError(
                f'Arguments to "{self.fn_name}" must be of the form [resource_name, attribute]'
            )
        self.resource_name, self.attribute = self.args
        self.path_components = []


class Select(Function):
    """A function for selecting an item from a list or map.

    Takes the form (for a list lookup)::

        { "Fn::Select" : [ "<index>", [ "<value_1>", "<value_2>", ... ] ] }

    or (for a map lookup)::

        { "Fn::Select" : [ "<index>", { "<key_1>": "<value_1>", ... } ] }

    If the selected index is not found, this function resolves to an empty
    string.
    """

    def _parse_args(self) -> None:
        if not isinstance(self.args, Sequence) or len(self.args) != 2:
            raise FunctionArgumentError(
                f'Arguments to "{self.fn_name}" must be of the form [index, collection]'
            )

    def result(self, ctx: EvalContext) -> Any:
        index = resolve(self.args[0], ctx)
        strings = resolve(self.args[1], ctx)
        if contains_unknown([index, strings]):
            return UNKNOWN
        if strings == "":
            return ""
        if isinstance(strings, str):
            try:
                strings = json.loads(strings)
            except ValueError as exc:
                raise FunctionArgumentError(f'"{self.fn_name}": {exc}') from None
        if isinstance(strings, Mapping):
            if not isinstance(index, str):
                raise FunctionArgumentError(f'Index to "{self.fn_name}" must be a string')
            return strings.get(index, "")
        with contextlib.suppress(ValueError, TypeError):
            index = int(index)
        if isinstance(strings, Sequence) and not isinstance(strings, str):
            if not isinstance(index, int):
                raise FunctionArgumentError(f'Index to "{self.fn_name}" must be an integer')
            try:
                return strings[index]
            except IndexError:
                return ""
        if strings is None:
            return ""
        raise FunctionArgumentError(f"Arguments to {self.fn_name} not fully resolved")


class Join(hot.Join):
    """A function for joining strings.

    Takes the form::

        { "Fn::Join" : [ "<delim>", [ "<string_1>", "<string_2>", ... ] ] }
    """


class Split(Function):
    """A function for splitting strings.

    Takes the form::

        { "Fn::Split" : [ "<delim>", "<string_1><delim><string_2>..." ] }
    """

    def _parse_args(self) -> None:
        example = f'"{self.fn_name}" : [ ",", "str1,str2"]]'
        message = f'Incorrect arguments to "{self.fn_name}" should be: {example}'
        if isinstance(self.args, str | Mapping):
            raise FunctionArgumentError(message)
        if not isinstance(self.args, Sequence) or len(self.args) != 2:
            raise FunctionArgumentError(message)

    def result(self, ctx: EvalContext) -> Any:
        delim = self.args[0]
        strings = resolve(self.args[1], ctx)
        if strings is UNKNOWN:
            return UNKNOWN
        if not isinstance(delim, str):
            raise FunctionArgumentError(f"Delimiter for {self.fn_name} must be string")
        if not isinstance(strings, str):
            raise FunctionArgumentError(f"String to split must be string; got {type(strings)}")
        if delim == "":
            raise FunctionArgumentError("empty separator")
        return strings.split(delim)


class Replace(hot.Replace):
    """A function for performing string substitutions.

    Takes the form::

        { "Fn::Replace" : [
            { "<key_1>": "<value_1>", "<key_2>": "<value_2>", ... },
            "<key_1> <key_2>"
          ] }
    """

    def _parse_args(self) -> None:
        example = f'{{"{self.fn_name}": [ {{"$var1": "foo", "%var2%": "bar"}}, "$var1 is %var2%"]}}'
        message = f'Incorrect arguments to "{self.fn_name}" should be: {example}'
        if isinstance(self.args, str | Mapping):
            raise FunctionArgumentError(message)
        if not isinstance(self.args, Sequence) or len(self.args) != 2:
            raise FunctionArgumentError(message)
        self.mapping, self.template = self.args
        if not isinstance(self.mapping, Mapping | Function):
            raise FunctionArgumentError(f'"{self.fn_name}" parameters must be a mapping')


class Base64(Function):
    """A placeholder function for converting to base64.

    Heat takes UserData as plain text, so it converts nothing.

    Takes the form::

        { "Fn::Base64" : "<string>" }
    """

    def result(self, ctx: EvalContext) -> Any:
        value = resolve(self.args, ctx)
        if value is UNKNOWN:
            return UNKNOWN
        if not isinstance(value, str):
            raise FunctionArgumentError(f'"{self.fn_name}" argument must be a string')
        return value


_MEMBER = re.compile(r"\.member\.([0-9]+)\.(.*)")


class MemberListToMap(Function):
    """A function to convert lists with enumerated keys and values to mapping.

    Takes the form::

        { 'Fn::MemberListToMap' : [ 'Name',
                                    'Value',
                                    [ '.member.0.Name=<key_0>',
                                      '.member.0.Value=<value_0>',
                                      ... ] ] }
    """

    def _parse_args(self) -> None:
        if not isinstance(self.args, Sequence) or len(self.args) != 3:
            correct = (
                "\n            {'Fn::MemberListToMap': ['Name', 'Value',\n"
                "                                     ['.member.0.Name=key',\n"
                "                                      '.member.0.Value=door']]}\n"
                "            "
            )
            raise FunctionArgumentError(f'Wrong Arguments try: "{correct}"')
        if not isinstance(self.args[0], str):
            raise FunctionArgumentError(f"{self.fn_name} Key Name must be a string")
        if not isinstance(self.args[1], str):
            raise FunctionArgumentError(f"{self.fn_name} Value Name must be a string")

    def result(self, ctx: EvalContext) -> Any:
        keyname, valuename = self.args[0], self.args[1]
        members = resolve(self.args[2], ctx)
        if contains_unknown(members):
            return UNKNOWN
        if not isinstance(members, Iterable):
            raise FunctionArgumentError("Member list must be a list")
        partials: dict[str, str] = {}
        for item in members:
            if not isinstance(item, str):
                raise FunctionArgumentError("Member list items must be strings")
            key, sep, value = item.partition("=")
            if not sep:
                raise FunctionArgumentError(
                    "dictionary update sequence element #0 has length 1; 2 is required"
                )
            partials[key] = value
        grouped: dict[int, dict[str, str]] = {}
        for name, value in partials.items():
            match = _MEMBER.match(name)
            if match:
                grouped.setdefault(int(match.group(1)), {})[match.group(2)] = value
        return {
            group[keyname]: group[valuename]
            for _, group in sorted(grouped.items())
            if keyname in group and valuename in group
        }


class ResourceFacade(hot.ResourceFacade):
    """A function for retrieving data in a parent provider template.

    Takes the form::

        { "Fn::ResourceFacade": "<attribute_type>" }

    where the valid attribute types are "Metadata", "DeletionPolicy" and
    "UpdatePolicy".
    """

    attributes = ("Metadata", "DeletionPolicy", "UpdatePolicy")


class If(hot.If):
    """A function to return corresponding value based on condition evaluation.

    Takes the CFN form `{ "Fn::If": [...] }`.
    """


class Equals(hot.Equals):
    """A function for comparing whether two values are equal.

    Takes the CFN form `{ "Fn::Equals": [...] }`.
    """


class Not(hot.Not):
    """A function that acts as a NOT operator on a condition.

    Takes the CFN form `{ "Fn::Not": [...] }`.
    """

    def _parse_args(self) -> None:
        message = f'Arguments to "{self.fn_name}" must be of the form: [condition]'
        if not self.args or not isinstance(self.args, Sequence) or isinstance(self.args, str):
            raise FunctionArgumentError(message)
        if len(self.args) != 1:
            raise FunctionArgumentError(message)
        self.condition = self.args[0]


class And(hot.And):
    """A function that acts as an AND operator on conditions.

    Takes the CFN form `{ "Fn::And": [...] }`.
    """


class Or(hot.Or):
    """A function that acts as an OR operator on conditions.

    Takes the CFN form `{ "Fn::Or": [...] }`.
    """
