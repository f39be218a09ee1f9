"""HOT intrinsic functions: one class per upstream implementation, same arguments and errors."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from templates.errors import (
    FunctionArgumentError,
    InvalidTemplateAttribute,
    InvalidTemplateReference,
    UserParameterMissing,
)
from templates.function import (
    UNKNOWN,
    EvalContext,
    Function,
    Reference,
    ValidationScope,
    contains_unknown,
    dependencies,
    resolve,
    validate_snippet,
)


def _json_text(value: Any) -> str:
    # oslo jsonutils.dumps(sort_keys=True) == json.dumps with default separators.
    return json.dumps(value, sort_keys=True)


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


class GetParam(Function):
    """A function for resolving parameter references.

    Takes the form::

        get_param: <param_name>

    or::

        get_param:
          - <param_name>
          - <path1>
          - ...
    """

    def result(self, ctx: EvalContext) -> Any:
        args = resolve(self.args, ctx)
        if contains_unknown(args):
            return UNKNOWN
        if not args:
            raise FunctionArgumentError(f'Function "{self.fn_name}" must have arguments')
        if isinstance(args, str):
            param_name, path = args, []
        elif isinstance(args, Sequence):
            param_name, path = args[0], list(args[1:])
        else:
            raise FunctionArgumentError(f'Argument to "{self.fn_name}" must be string or list')
        if not isinstance(param_name, str):
            raise FunctionArgumentError(f'Parameter name in "{self.fn_name}" must be string')
        try:
            value = ctx.parameters[param_name]
        except KeyError:
            raise UserParameterMissing(param_name) from None
        return _select_path(value, path, missing="")


def _select_path(value: Any, path: Sequence[Any], missing: Any) -> Any:
    # Upstream swallows every traversal failure and returns a fixed value.
    for key in path:
        if not isinstance(value, Mapping | Sequence) or not isinstance(key, str | int):
            return missing
        if isinstance(value, Sequence) and isinstance(key, str):
            try:
                key = int(key)
            except ValueError:
                return missing
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return missing
    return value


class GetResource(Function):
    """A function for resolving resource references.

    Takes the form::

        get_resource: <resource_name>
    """

    def dependencies(self, path: str) -> Iterator[Reference]:
        yield from super().dependencies(path)
        if isinstance(self.args, str):
            yield Reference(self.args, path)

    def result(self, ctx: EvalContext) -> Any:
        name = resolve(self.args, ctx)
        if name is UNKNOWN:
            return UNKNOWN
        if not isinstance(name, str) or name not in ctx.resource_names:
            raise InvalidTemplateReference(name, "unknown")
        physical_id = ctx.resources.physical_id(name)
        return UNKNOWN if physical_id is None else physical_id


class GetAttThenSelect(Function):
    """A function for resolving resource attributes.

    Takes the form::

        get_attr:
          - <resource_name>
          - <attribute_name>
          - <path1>
          - ...
    """

    resource_name: Any
    attribute: Any
    path_components: list[Any]

    def _parse_args(self) -> None:
        if not _is_list(self.args):
            raise FunctionArgumentError(f'Argument to "{self.fn_name}" must be a list')
        if len(self.args) < 2:
            raise FunctionArgumentError(
                f'Arguments to "{self.fn_name}" must be of the form '
                "[resource_name, attribute, (path), ...]"
            )
        self.resource_name = self.args[0]
        self.attribute = self.args[1]
        self.path_components = list(self.args[2:])

    def dependencies(self, path: str) -> Iterator[Reference]:
        yield from dependencies(self.args, f"{path}.{self.fn_name}")
        if isinstance(self.resource_name, str):
            yield Reference(self.resource_name, path)

    def validate(self, scope: ValidationScope) -> None:
        validate_snippet(self.args, scope)
        name = self.resource_name
        if not isinstance(name, str):
            return  # computed names are checked when resolved
        if not scope.has_resource(name):
            raise InvalidTemplateReference(name, "unknown")
        if self.attribute is None or not isinstance(self.attribute, str):
            return
        known = scope.attribute_names(name)
        if known is not None and self.attribute not in known:
            raise InvalidTemplateAttribute(name, self.attribute)

    def _resource(self, ctx: EvalContext) -> Any:
        name = resolve(self.resource_name, ctx)
        if name is UNKNOWN:
            return UNKNOWN
        if not isinstance(name, str) or name not in ctx.resource_names:
            raise InvalidTemplateReference(name, "unknown")
        return name

    def result(self, ctx: EvalContext) -> Any:
        name = self._resource(ctx)
        attr = resolve(self.attribute, ctx)
        path = resolve(self.path_components, ctx)
        if contains_unknown([name, attr, path]):
            return UNKNOWN
        value = ctx.resources.attribute(name, attr)
        if value is None or value is UNKNOWN:
            return value
        return _select_path(value, path, missing=None)


class GetAtt(GetAttThenSelect):
    """A function for resolving resource attributes.

    Takes the form::

        get_attr:
          - <resource_name>
          - <attribute_name>
          - <path1>
          - ...
    """


class GetAttAllAttributes(GetAtt):
    """A function for resolving resource attributes.

    Takes the form::

        get_attr:
          - <resource_name>
          - <attributes_name>
          - <path1>
          - ...

    where <attributes_name> and <path1>, ... are optional arguments. If there
    is no <attributes_name>, result will be dict of all resource's attributes.
    Else function returns resolved resource's attribute.
    """

    def _parse_args(self) -> None:
        if not self.args:
            raise FunctionArgumentError(
                f'Arguments to "{self.fn_name}" can be of the next forms: '
                "[resource_name] or [resource_name, attribute, (path), ...]"
            )
        if isinstance(self.args, Sequence):
            if len(self.args) > 1:
                super()._parse_args()
                return
            self.resource_name, self.attribute, self.path_components = self.args[0], None, []
            return
        raise FunctionArgumentError(f'Argument to "{self.fn_name}" must be a list')

    def result(self, ctx: EvalContext) -> Any:
        if self.attribute is not None:
            return super().result(ctx)
        name = self._resource(ctx)
        if name is UNKNOWN:
            return UNKNOWN
        return ctx.resources.attributes(name)


_STR_REPLACE_EXAMPLE = """{fn}:
              template: This is var1 template var2
              params:
                var1: a
                var2: string"""


class Replace(Function):
    """A function for performing string substitutions.

    Takes the form::

        str_replace:
          template: <key_1> <key_2>
          params:
            <key_1>: <value_1>
            <key_2>: <value_2>
            ...

    And resolves to::

        "<value_1> <value_2>"

    When keys overlap in the template, longer matches are preferred. For keys
    of equal length, lexicographically smaller keys are preferred.
    """

    mapping: Any
    template: Any

    def _parse_args(self) -> None:
        if not isinstance(self.args, Mapping):
            raise FunctionArgumentError(f'Arguments to "{self.fn_name}" must be a map')
        if "params" not in self.args or "template" not in self.args:
            example = _STR_REPLACE_EXAMPLE.format(fn=self.fn_name)
            raise FunctionArgumentError(f'"{self.fn_name}" syntax should be {example}', quoted=True)
        self.mapping = self.args["params"]
        self.template = self.args["template"]
        if not isinstance(self.mapping, Mapping | Function):
            raise FunctionArgumentError(f'"{self.fn_name}" parameters must be a mapping')

    def _replacement(self, value: Any, param: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str | int | float | bool):
            raise FunctionArgumentError(
                f'"{self.fn_name}" params must be strings or numbers, param {param} is not valid'
            )
        return str(value)

    def result(self, ctx: EvalContext) -> Any:
        template = resolve(self.template, ctx)
        mapping = resolve(self.mapping, ctx)
        if contains_unknown([template, mapping]):
            return UNKNOWN
        if not isinstance(template, str):
            raise FunctionArgumentError(f'"{self.fn_name}" template must be a string')
        if not isinstance(mapping, Mapping):
            raise FunctionArgumentError(f'"{self.fn_name}" params must be a map')
        for key in mapping:
            if not isinstance(key, str):
                raise FunctionArgumentError(f'"{self.fn_name}" param placeholders must be strings')
        # Longest placeholder first, ties in lexicographic order (upstream's
        # rule), and text already substituted is never scanned again.
        keys = sorted(sorted(mapping), key=len, reverse=True)
        values = {key: self._replacement(mapping[key], key) for key in keys}

        def replace(text: str, remaining: list[str]) -> str:
            if not remaining:
                return text
            head, rest = remaining[0], remaining[1:]
            return values[head].join(replace(part, rest) for part in text.split(head))

        return replace(template, keys)


class ReplaceJson(Replace):
    """A function for performing string substitutions.

    Takes the form::

        str_replace:
          template: <key_1> <key_2>
          params:
            <key_1>: <value_1>
            <key_2>: <value_2>
            ...

    And resolves to::

        "<value_1> <value_2>"

    When keys overlap in the template, longer matches are preferred. For keys
    of equal length, lexicographically smaller keys are preferred.

    Non-string param values (e.g maps or lists) are serialized as JSON before
    being substituted in.
    """

    def _replacement(self, value: Any, param: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str | int | float | bool):
            return str(value)
        if isinstance(value, Mapping | Sequence):
            try:
                return _json_text(value)
            except TypeError:
                raise FunctionArgumentError(
                    f'"{self.fn_name}" params must be strings, numbers, list or map. '
                    f"Failed to json serialize {value}"
                ) from None
        raise FunctionArgumentError(
            f'"{self.fn_name}" params must be strings, numbers, list or map.'
        )


class Join(Function):
    """A function for joining strings.

    Takes the form::

        list_join:
          - <delim>
          - - <string_1>
            - <string_2>
            - ...

    And resolves to::

        "<string_1><delim><string_2><delim>..."
    """

    delim: Any
    strings: Any

    def _parse_args(self) -> None:
        example = f'"{self.fn_name}" : [ " ", [ "str1", "str2"]]'
        message = f'Incorrect arguments to "{self.fn_name}" should be: {example}'
        if not isinstance(self.args, list) or len(self.args) != 2:
            raise FunctionArgumentError(message)
        self.delim, self.strings = self.args

    def result(self, ctx: EvalContext) -> Any:
        strings = resolve(self.strings, ctx)
        delim = resolve(self.delim, ctx)
        if contains_unknown([strings, delim]):
            return UNKNOWN
        if strings is None:
            strings = []
        if not _is_list(strings):
            raise FunctionArgumentError(f'"{self.fn_name}" must operate on a list')
        if not isinstance(delim, str):
            raise FunctionArgumentError(f'"{self.fn_name}" delimiter must be a string')

        def ensure_string(item: Any) -> str:
            if item is None:
                return ""
            if not isinstance(item, str):
                raise FunctionArgumentError(f"Items to join must be strings not {repr(item)[:200]}")
            return item

        return delim.join(ensure_string(item) for item in strings)


class JoinMultiple(Function):
    """A function for joining one or more lists of strings.

    Takes the form::

        list_join:
          - <delim>
          - - <string_1>
            - <string_2>
            - ...
          - - ...

    And resolves to::

        "<string_1><delim><string_2><delim>..."

    Optionally multiple lists may be specified, which will also be joined.
    """

    delim: Any
    lists: list[Any]

    def _parse_args(self) -> None:
        example = f'"{self.fn_name}" : [ " ", [ "str1", "str2"] ...]'
        message = f'Incorrect arguments to "{self.fn_name}" should be: {example}'
        if not isinstance(self.args, list) or len(self.args) < 2:
            raise FunctionArgumentError(message)
        self.delim, self.lists = self.args[0], list(self.args[1:])

    def result(self, ctx: EvalContext) -> Any:
        lists = resolve(self.lists, ctx)
        delim = resolve(self.delim, ctx)
        if contains_unknown([lists, delim]):
            return UNKNOWN
        strings: list[Any] = []
        for items in lists:
            if items:
                if not _is_list(items):
                    raise FunctionArgumentError(f'"{self.fn_name}" must operate on a list')
                strings += items
        if not isinstance(delim, str):
            raise FunctionArgumentError(f'"{self.fn_name}" delimiter must be a string')

        def ensure_string(item: Any) -> str:
            if item is None:
                return ""
            if isinstance(item, str):
                return item
            if isinstance(item, Mapping | Sequence):
                try:
                    return _json_text(item)
                except TypeError:
                    raise FunctionArgumentError(
                        "Items to join must be string, map or list. "
                        f"{repr(item)[:200]} failed json serialization"
                    ) from None
            raise FunctionArgumentError(
                f"Items to join must be string, map or list not {repr(item)[:200]}"
            )

        return delim.join(ensure_string(item) for item in strings)
