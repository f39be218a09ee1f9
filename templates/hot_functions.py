"""HOT intrinsic functions: one class per upstream implementation, same arguments and errors."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib import parse as urlparse

from templates.errors import (
    FunctionArgumentError,
    InvalidTemplateAttribute,
    InvalidTemplateReference,
    UserParameterMissing,
)
from templates.function import (
    OMITTED,
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
        if isinstance(attr, str) and attr.startswith("resource."):
            attr, path = _nested_key(attr, path)
        value = ctx.resources.attribute(name, attr)
        if value is None or value is UNKNOWN:
            return value
        return _select_path(value, path, missing=None)


def _nested_key(key: str, path: list[Any]) -> tuple[str, list[Any]]:
    """`resource.<inner>[.<attribute>]` of a nested stack's resource (a provider template's
    or a group's), split as upstream's get_nested_attrs does: `resource.<inner>` alone is
    the inner resource's reference; with an attribute (in the key or as the first path item)
    it is `resource.<inner>.<attribute>`, the rest of the path selecting inside its value."""
    parts = key.split(".", 2)[1:] + list(path)
    if len(parts) == 1:
        return key, []
    return f"resource.{parts[0]}.{parts[1]}", parts[2:]


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
    _strict = False
    _allow_empty_value = True

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
        unreplaced = set(mapping)

        def replace(text: str, remaining: list[str]) -> str:
            if not remaining:
                return text
            head, rest = remaining[0], remaining[1:]
            parts = text.split(head)
            if len(parts) > 1:
                unreplaced.discard(head)
            return values[head].join(replace(part, rest) for part in parts)

        result = replace(template, keys)
        if self._strict and unreplaced:
            missing = ",".join(sorted(sorted(unreplaced), key=len, reverse=True))
            raise FunctionArgumentError(
                f"The following params were not found in the template: {missing}"
            )
        return result


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
        empty = (
            f"{self.fn_name} has an undefined or empty value for param {param}, "
            "must be a defined non-empty value"
        )
        if value is None:
            if self._allow_empty_value:
                return ""
            raise FunctionArgumentError(empty)
        if isinstance(value, str | int | float | bool):
            text = str(value)
            if not self._allow_empty_value and not text:
                raise FunctionArgumentError(empty)
            return text
        if isinstance(value, Mapping | Sequence):
            if not self._allow_empty_value and len(value) == 0:
                raise FunctionArgumentError(empty)
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


class ReplaceJsonStrict(ReplaceJson):
    """A function for performing string substitutions.

    str_replace_strict is identical to the str_replace function, only
    a ValueError is raised if any of the params are not present in
    the template.
    """

    _strict = True


class ReplaceJsonVeryStrict(ReplaceJsonStrict):
    """A function for performing string substitutions.

    str_replace_vstrict is identical to the str_replace_strict
    function, only a ValueError is raised if any of the params are
    None or empty.
    """

    _allow_empty_value = False


class GetFile(Function):
    """A function for including a file inline.

    Takes the form::

        get_file: <file_key>

    And resolves to the content stored in the files dictionary under the given
    key.
    """

    def result(self, ctx: EvalContext) -> Any:
        key = resolve(self.args, ctx)
        if key is UNKNOWN:
            return UNKNOWN
        if not isinstance(key, str):
            raise FunctionArgumentError(f'Argument to "{self.fn_name}" must be a string')
        content = ctx.files.get(key)
        if content is None:
            raise FunctionArgumentError(
                f'No content found in the "files" section for {self.fn_name} path: {key}'
            )
        return content


class MapMerge(Function):
    """A function for merging maps.

    Takes the form::

        map_merge:
          - <k1>: <v1>
            <k2>: <v2>
          - <k1>: <v3>

    And resolves to::

        {"<k1>": "<v3>", "<k2>": "<v2>"}
    """

    def result(self, ctx: EvalContext) -> Any:
        args = resolve(self.args, ctx)
        if contains_unknown(args):
            return UNKNOWN
        if not isinstance(args, Sequence):
            example = f'"{self.fn_name}" : [ {{ "key1": "val1" }}, {{ "key2": "val2" }} ]'
            raise FunctionArgumentError(
                f'Incorrect arguments to "{self.fn_name}" should be: {example}'
            )
        merged: dict[Any, Any] = {}
        for item in args:
            if item is None:
                continue
            if not isinstance(item, Mapping):
                raise FunctionArgumentError(
                    "Incorrect arguments: Items to merge must be maps. "
                    f"{repr(item)[:200]} is type {type(item)} instead of a dict"
                )
            merged.update(item)
        return merged


class MapReplace(Function):
    """A function for performing substitutions on maps.

    Takes the form::

        map_replace:
          - <k1>: <v1>
            <k2>: <v2>
          - keys:
              <k1>: <K1>
            values:
              <v2>: <V2>

    And resolves to::

        {"<K1>": "<v1>", "<k2>": "<V2>"}
    """

    def _example(self) -> str:
        return (
            f'"{self.fn_name}" : [ {{ "key1": "val1" }}, '
            '{"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]'
        )

    def _map(self, value: Any) -> Mapping[Any, Any]:
        if value is None:
            return {}
        if isinstance(value, Mapping):
            return value
        raise FunctionArgumentError(
            f'Incorrect arguments: to "{self.fn_name}", arguments must be a list of maps. '
            f"Example:  {self._example()}"
        )

    def result(self, ctx: EvalContext) -> Any:
        args = resolve(self.args, ctx)
        if contains_unknown(args):
            return UNKNOWN
        usage = f'Incorrect arguments to "{self.fn_name}" should be: {self._example()}'
        if not isinstance(args, list) or len(args) != 2:
            if isinstance(args, list) and args:
                self._map(args[0])
                if len(args) > 1:
                    self._map(args[1])
            raise FunctionArgumentError(usage)
        in_map = self._map(args[0])
        repl_map = self._map(args[1])
        for key in repl_map:
            if key not in ("keys", "values"):
                raise FunctionArgumentError(usage)
        repl_keys = self._map(repl_map.get("keys", {}))
        repl_values = self._map(repl_map.get("values", {}))
        out: dict[Any, Any] = {}
        for key, value in in_map.items():
            new_key = repl_keys.get(key)
            if new_key is None:
                new_key = key
            elif new_key in in_map and new_key != key:
                raise FunctionArgumentError(
                    f"key replacement {new_key} collides with a key in the input map"
                )
            elif new_key in out:
                raise FunctionArgumentError(
                    f"key replacement {new_key} collides with a key in the output map"
                )
            try:
                out[new_key] = repl_values.get(value, value)
            except TypeError:  # an unhashable value is kept as it is
                out[new_key] = value
        return out


class ResourceFacade(Function):
    """A function for retrieving data in a parent provider template.

    Takes the form::

        resource_facade: <attribute_type>

    where the valid attribute types are "metadata", "deletion_policy" and
    "update_policy".
    """

    attributes: tuple[str, str, str] = ("metadata", "deletion_policy", "update_policy")

    def _parse_args(self) -> None:
        if self.args not in self.attributes:
            raise FunctionArgumentError(
                f'Incorrect arguments to "{self.fn_name}" should be one of: '
                f"{', '.join(self.attributes)}"
            )

    def result(self, ctx: EvalContext) -> Any:
        facade = ctx.facade
        metadata, _deletion_policy, update_policy = self.attributes
        if facade is None:
            # Outside a provider template upstream has no parent resource to
            # read; at validation time the value is simply not known yet.
            return UNKNOWN
        if self.args == metadata:
            return dict(facade.metadata)
        if self.args == update_policy:
            return dict(facade.update_policy)
        return facade.deletion_policy


class Repeat(Function):
    """A function for iterating over a list of items.

    Takes the form::

        repeat:
            template:
                <body>
            for_each:
                <var>: <list>

    The result is a new list of the same size as <list>, where each element
    is a copy of <body> with any occurrences of <var> replaced with the
    corresponding item of <list>.
    """

    for_each: Any
    template: Any
    nested_loop: Any = True
    _values_text = "lists"

    def _parse_args(self) -> None:
        if not isinstance(self.args, Mapping):
            raise FunctionArgumentError(f'Arguments to "{self.fn_name}" must be a map')
        if "for_each" not in self.args or "template" not in self.args:
            example = (
                "repeat:\n"
                "              template: This is %var%\n"
                "              for_each:\n"
                "                %var%: ['a', 'b', 'c']"
            )
            raise FunctionArgumentError(f'"repeat" syntax should be {example}', quoted=True)
        self.for_each = self.args["for_each"]
        self.template = self.args["template"]

    def validate(self, scope: ValidationScope) -> None:
        super().validate(scope)
        if not isinstance(self.for_each, Function | Mapping):
            raise FunctionArgumentError(
                f'The "for_each" argument to "{self.fn_name}" must contain a map'
            )

    def _valid_arg(self, arg: Any) -> None:
        if not (isinstance(arg, Sequence) and not isinstance(arg, str)):
            raise FunctionArgumentError(
                f'The values of the "for_each" argument to "{self.fn_name}" must be lists'
            )

    def _replace(self, keys: Sequence[Any], values: Sequence[Any], template: Any) -> Any:
        if isinstance(template, str):
            for key, value in zip(keys, values, strict=False):
                if not isinstance(key, str) or not isinstance(value, str):
                    raise FunctionArgumentError(
                        f"replace() argument 2 must be str, not {type(value).__name__}"
                    )
                template = template.replace(key, value)
            return template
        if isinstance(template, Sequence):
            return [self._replace(keys, values, item) for item in template]
        if isinstance(template, Mapping):
            return {
                self._replace(keys, values, k): self._replace(keys, values, v)
                for k, v in template.items()
            }
        return template

    def result(self, ctx: EvalContext) -> Any:
        for_each = resolve(self.for_each, ctx)
        if contains_unknown(for_each):
            return UNKNOWN
        if not isinstance(for_each, Mapping) or not for_each:
            raise FunctionArgumentError(
                f'The "for_each" argument to "{self.fn_name}" must contain a map'
            )
        keys = list(for_each)
        values: list[list[Any]] = []
        lengths = []
        for value in for_each.values():
            if value is None:
                values.append([])
            else:
                self._valid_arg(value)
                values.append(list(value))
                lengths.append(len(value))
        if not self.nested_loop and lengths and len(set(lengths)) != 1:
            raise FunctionArgumentError(
                f"For {self.fn_name}, the length of for_each values should be equal "
                "if no nested loop."
            )
        template = resolve(self.template, ctx)
        if contains_unknown(template):
            return UNKNOWN
        combos = itertools.product(*values) if self.nested_loop else zip(*values, strict=False)
        return [self._replace(keys, combo, template) for combo in combos]


class RepeatWithMap(Repeat):
    """A function for iterating over a list of items or a dict of keys.

    Takes the form::

        repeat:
            template:
                <body>
            for_each:
                <var>: <list> or <dict>
    """

    def _valid_arg(self, arg: Any) -> None:
        if not (isinstance(arg, Sequence | Mapping) and not isinstance(arg, str)):
            raise FunctionArgumentError(
                f'The values of the "for_each" argument to "{self.fn_name}" must be lists or maps'
            )


class RepeatWithNestedLoop(RepeatWithMap):
    """A function for iterating over a list of items or a dict of keys.

    Lists or dict keys, optionally without permutations.

    Takes the form::

        repeat:
          template:
            var: %var%
            bar: %bar%
          for_each:
            %var%: <list1>
            %bar%: <list2>
          permutations: false
    """

    def _parse_args(self) -> None:
        super()._parse_args()
        self.nested_loop = self.args.get("permutations", True)
        if not isinstance(self.nested_loop, bool):
            raise FunctionArgumentError(
                f'"permutations" should be boolean type for {self.fn_name} function.'
            )

    def _valid_arg(self, arg: Any) -> None:
        if self.nested_loop:
            super()._valid_arg(arg)
        else:
            Repeat._valid_arg(self, arg)


# hashlib.algorithms_available as upstream shows it in its error message.
_DIGEST_ALGORITHMS = frozenset(hashlib.algorithms_available)


class Digest(Function):
    """A function for performing digest operations.

    Takes the form::

        digest:
          - <algorithm>
          - <value>

    Valid algorithms are the ones provided by natively by hashlib (md5, sha1,
    sha224, sha256, sha384, and sha512) or any one provided by OpenSSL.
    """

    def result(self, ctx: EvalContext) -> Any:
        args = resolve(self.args, ctx)
        if contains_unknown(args):
            return UNKNOWN
        if not (isinstance(args, list) and all(isinstance(a, str) for a in args)):
            raise FunctionArgumentError(
                f'Argument to function "{self.fn_name}" must be a list of strings'
            )
        if len(args) != 2:
            raise FunctionArgumentError(
                f'Function "{self.fn_name}" usage: ["<algorithm>", "<value>"]'
            )
        algorithm, value = args
        if algorithm.lower() not in _DIGEST_ALGORITHMS:
            raise FunctionArgumentError(f"Algorithm must be one of {set(_DIGEST_ALGORITHMS)}")
        try:
            digest = hashlib.new(algorithm)
            digest.update(value.encode("latin-1"))
            return digest.hexdigest()
        except (ValueError, UnicodeEncodeError, TypeError) as exc:
            raise FunctionArgumentError(str(exc)) from None


class StrSplit(Function):
    """A function for splitting delimited strings into a list.

    Takes the form::

        str_split:
          - <delimiter>
          - <string>
          - <index>

    If <index> is specified, the specified list item will be returned
    otherwise, the whole list is returned.
    """

    def _usage(self) -> str:
        example = f'"{self.fn_name}" : [ ",", "apples,pears", <index>]'
        return f'Incorrect arguments to "{self.fn_name}" should be: {example}'

    def _parse_args(self) -> None:
        if isinstance(self.args, str | Mapping):
            raise FunctionArgumentError(self._usage())

    def result(self, ctx: EvalContext) -> Any:
        args = resolve(self.args, ctx)
        if contains_unknown(args):
            return UNKNOWN
        if not isinstance(args, list) or len(args) < 2:
            raise FunctionArgumentError(self._usage())
        delim, text = args[0], args[1]
        if text is None:
            return None
        if not isinstance(text, str) or not isinstance(delim, str | None):
            raise FunctionArgumentError(self._usage())
        if delim == "":
            raise FunctionArgumentError("empty separator")
        parts = text.split(delim)
        if len(args) < 3:
            return parts
        try:
            index = int(args[2])
        except (ValueError, TypeError):
            example = f'"{self.fn_name}" : [ ",", "apples,pears", <index>]'
            raise FunctionArgumentError(
                f'Incorrect index to "{self.fn_name}" should be: {example}'
            ) from None
        try:
            return parts[index]
        except IndexError:
            raise FunctionArgumentError(
                f'Incorrect index to "{self.fn_name}" should be between 0 and {len(parts) - 1}'
            ) from None


class Equals(Function):
    """A function for comparing whether two values are equal.

    Takes the form::

        equals:
          - <value_1>
          - <value_2>
    """

    def _parse_args(self) -> None:
        if not self.args or not isinstance(self.args, list) or len(self.args) != 2:
            raise FunctionArgumentError(
                f'Arguments to "{self.fn_name}" must be of the form: [value_1, value_2]'
            )

    def result(self, ctx: EvalContext) -> Any:
        first, second = resolve(self.args[0], ctx), resolve(self.args[1], ctx)
        if contains_unknown([first, second]):
            return UNKNOWN
        return first == second


def condition_value(ctx: EvalContext, condition: Any) -> Any:
    """A resolved condition argument as a boolean (a name is looked up in `conditions`)."""
    if condition is UNKNOWN or isinstance(condition, bool):
        return condition
    return ctx.conditions.is_enabled(condition)


class If(Function):
    """A function to return corresponding value based on condition evaluation.

    Takes the form::

        if:
          - <condition_name>
          - <value_if_true>
          - <value_if_false>
    """

    condition: Any
    if_true: Any
    if_false: Any

    def _parse_args(self) -> None:
        try:
            if not self.args or not isinstance(self.args, list):
                raise ValueError
            self.condition, self.if_true, self.if_false = self._read_args()
        except ValueError:
            raise FunctionArgumentError(
                f'Arguments to "{self.fn_name}" must be of the form: '
                "[condition_name, value_if_true, value_if_false]"
            ) from None

    def _read_args(self) -> tuple[Any, Any, Any]:
        condition, if_true, if_false = self.args
        return condition, if_true, if_false

    def chosen(self, ctx: EvalContext) -> Any:
        """The branch the condition selects (UNKNOWN when it cannot be told yet)."""
        enabled = condition_value(ctx, resolve(self.condition, ctx))
        if enabled is UNKNOWN:
            return UNKNOWN
        return self.if_true if enabled else self.if_false

    def result(self, ctx: EvalContext) -> Any:
        branch = self.chosen(ctx)
        if branch is UNKNOWN:
            return UNKNOWN
        return resolve(branch, ctx, nullable=True)


class IfNullable(If):
    """A function to return corresponding value based on condition evaluation.

    The 2021-04-16 form, whose false value may be omitted. Takes the form::

        if:
          - <condition_name>
          - <value_if_true>
          - <value_if_false>

    If the value_if_false is omitted and the condition is false, the enclosing
    item (list item, dictionary key/value pair, property definition) will be
    treated as if it were not mentioned in the template.
    """

    def _read_args(self) -> tuple[Any, Any, Any]:
        if len(self.args) == 2:
            condition, if_true = self.args
            return condition, if_true, OMITTED
        return super()._read_args()


class ConditionBoolean(Function):
    """Abstract parent class of boolean condition functions."""

    def _parse_args(self) -> None:
        if not isinstance(self.args, Sequence) or isinstance(self.args, str):
            raise FunctionArgumentError(
                f'Arguments to "{self.fn_name}" must be a list of conditions'
            )
        if not self.args or len(self.args) < 2:
            raise FunctionArgumentError(
                f'The minimum number of condition arguments to "{self.fn_name}" is 2.'
            )

    def _values(self, ctx: EvalContext) -> list[Any]:
        return [condition_value(ctx, resolve(arg, ctx)) for arg in self.args]


class Not(ConditionBoolean):
    """A function that acts as a NOT operator on a condition.

    Takes the form::

        not: <condition>
    """

    condition: Any

    def _parse_args(self) -> None:
        self.condition = self.args
        if self.args is None:
            raise FunctionArgumentError(f'Argument to "{self.fn_name}" must be a condition')

    def result(self, ctx: EvalContext) -> Any:
        value = condition_value(ctx, resolve(self.condition, ctx))
        return UNKNOWN if value is UNKNOWN else not value


class And(ConditionBoolean):
    """A function that acts as an AND operator on conditions.

    Takes the form::

        and:
          - <condition_1>
          - <condition_2>
          - ...
    """

    def result(self, ctx: EvalContext) -> Any:
        values = self._values(ctx)
        if False in values:
            return False
        return UNKNOWN if UNKNOWN in values else True


class Or(ConditionBoolean):
    """A function that acts as an OR operator on conditions.

    Takes the form::

        or:
          - <condition_1>
          - <condition_2>
          - ...
    """

    def result(self, ctx: EvalContext) -> Any:
        values = self._values(ctx)
        if True in values:
            return True
        return UNKNOWN if UNKNOWN in values else False


class Filter(Function):
    """A function for filtering out values from lists.

    Takes the form::

        filter:
          - <values>
          - <list>

    Returns a new list without the values.
    """

    def _parse_args(self) -> None:
        if not isinstance(self.args, Sequence) or isinstance(self.args, str):
            raise FunctionArgumentError(f'Argument to "{self.fn_name}" must be a list')
        if len(self.args) != 2:
            raise FunctionArgumentError(
                f'"{self.fn_name}" expected 2 arguments of the form [values, sequence] '
                f"but got {len(self.args)} arguments instead"
            )

    def result(self, ctx: EvalContext) -> Any:
        sequence = resolve(self.args[1], ctx)
        if contains_unknown(sequence):
            return UNKNOWN
        if not sequence:
            return sequence
        if not isinstance(sequence, list):
            raise FunctionArgumentError(f'"{self.fn_name}" only works with lists')
        values = resolve(self.args[0], ctx)
        if contains_unknown(values):
            return UNKNOWN
        if not values:
            return sequence
        if not isinstance(values, list):
            raise FunctionArgumentError(f'"{self.fn_name}" filters a list of values')
        return [item for item in sequence if item not in values]


class MakeURL(Function):
    """A function for performing substitutions on maps.

    Upstream's summary line, kept because the functions API shows it; the
    function builds a correctly-escaped URL from its parts.

    Takes the form::

        make_url:
          scheme: <protocol>
          username: <username>
          password: <password>
          host: <hostname or IP>
          port: <port>
          path: <path>
          query:
            <key1>: <value1>
          fragment: <fragment>
    """

    keys = ("scheme", "username", "password", "host", "port", "path", "query", "fragment")

    def _check_args(self, args: Mapping[str, Any]) -> None:
        for arg in self.keys:
            if arg not in args:
                continue
            value = args[arg]
            if arg == "query":
                if not isinstance(value, Function | Mapping):
                    raise FunctionArgumentError(
                        f'The "{arg}" argument to "{self.fn_name}" must be a map'
                    )
                return  # upstream stops checking at the query (its loop returns)
            if arg == "port":
                if isinstance(value, Function):
                    continue
                port = value
                if not isinstance(port, int):
                    try:
                        port = int(port)
                    except (ValueError, TypeError):
                        raise FunctionArgumentError(
                            f'Invalid URL port "{value}" for {self.fn_name} called with {args}'
                        ) from None
                if not 0 < port <= 65535:
                    raise FunctionArgumentError(
                        f"Invalid URL port {port}, must be in range 1-65535"
                    )
            elif not isinstance(value, Function | str):
                raise FunctionArgumentError(
                    f'The "{arg}" argument to "{self.fn_name}" must be a string'
                )

    def validate(self, scope: ValidationScope) -> None:
        super().validate(scope)
        if not isinstance(self.args, Mapping):
            raise FunctionArgumentError(f'The arguments to "{self.fn_name}" must be a map')
        invalid = [key for key in self.args if key not in self.keys]
        if invalid:
            raise FunctionArgumentError(
                f'Invalid arguments to "{self.fn_name}": {", ".join(map(str, invalid))}'
            )
        self._check_args(self.args)

    def result(self, ctx: EvalContext) -> Any:
        args = resolve(self.args, ctx)
        if contains_unknown(args):
            return UNKNOWN
        if not isinstance(args, Mapping):
            raise FunctionArgumentError(f'The arguments to "{self.fn_name}" must be a map')
        self._check_args(args)
        for key in ("scheme", "username", "password", "host", "path", "fragment"):
            if key in args and not isinstance(args[key], str):
                raise FunctionArgumentError(
                    f'The "{key}" argument to "{self.fn_name}" must be a string'
                )
        scheme = args.get("scheme", "")
        if ":" in scheme:
            raise FunctionArgumentError("URL \"scheme\" should not contain ':'")
        username = urlparse.quote(args.get("username", ""), safe="")
        password = urlparse.quote(args.get("password", ""), safe="")
        netloc = ""
        if username or password:
            netloc += username
            if password:
                netloc += ":" + password
            netloc += "@"
        host = args.get("host", "")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        host = urlparse.quote(host, safe=":")
        if ":" in host:
            host = f"[{host}]"
        netloc += host
        port = args.get("port", "")
        if port:
            netloc += f":{port}"
        path = urlparse.quote(args.get("path", ""))
        try:
            query = urlparse.urlencode(args.get("query", {}) or {}).replace("%2F", "/")
        except TypeError as exc:
            raise FunctionArgumentError(str(exc)) from None
        fragment = urlparse.quote(args.get("fragment", ""))
        return urlparse.urlunsplit((scheme, netloc, path, query, fragment))


class ListConcat(Function):
    """A function for extending lists.

    Takes the form::

        list_concat:
          - [<value 1>, <value 2>]
          - [<value 3>, <value 4>]

    And resolves to::

        [<value 1>, <value 2>, <value 3>, <value 4>]
    """

    _unique = False

    def result(self, ctx: EvalContext) -> Any:
        args = resolve(self.args, ctx)
        if contains_unknown(args):
            return UNKNOWN
        if isinstance(args, str) or not isinstance(args, Sequence):
            example = f'"{self.fn_name}" : [ [ <value 1>, <value 2> ], [ <value 3>, <value 4> ] ]'
            raise FunctionArgumentError(
                f'Incorrect arguments to "{self.fn_name}" should be: {example}'
            )
        out: list[Any] = []
        for item in args:
            if item is None:
                continue
            if isinstance(item, str) or not isinstance(item, Sequence):
                raise FunctionArgumentError(
                    "Incorrect arguments: Items to concat must be lists. "
                    f"{_json_or_repr(args)} contains an item that is not a list: "
                    f"{_json_or_repr(item)}"
                )
            out.extend(item)
        if not self._unique:
            return out
        unique: list[Any] = []
        for item in out:
            if item not in unique:
                unique.append(item)
        return unique


def _json_or_repr(value: Any) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


class ListConcatUnique(ListConcat):
    """A function for extending lists with unique items."""

    _unique = True


class Contains(Function):
    """A function for checking whether specific value is in sequence.

    Takes the form::

        contains:
          - <value>
          - <sequence>
    """

    def _parse_args(self) -> None:
        if not self.args or not isinstance(self.args, list):
            example = f'"{self.fn_name}" : [ "value1", [ "value1", "value2"]]'
            raise FunctionArgumentError(
                f'Incorrect arguments to "{self.fn_name}" should be: {example}'
            )
        if len(self.args) != 2:
            raise FunctionArgumentError(
                f'Arguments to "{self.fn_name}" must be of the form: [value1, [value1, value2]]'
            )

    def result(self, ctx: EvalContext) -> Any:
        value, sequence = resolve(self.args[0], ctx), resolve(self.args[1], ctx)
        if contains_unknown([value, sequence]):
            return UNKNOWN
        if not isinstance(sequence, Sequence):
            raise FunctionArgumentError(
                f'Second argument to "{self.fn_name}" should be a sequence.'
            )
        try:
            return value in sequence
        except TypeError as exc:
            raise FunctionArgumentError(str(exc)) from None


# Upstream's [yaql] defaults: limit_iterators and memory_quota.
YAQL_LIMIT_ITERATORS = 200
YAQL_MEMORY_QUOTA = 10000


class Yaql(Function):
    """A function for executing a yaql expression.

    Takes the form::

        yaql:
            expression:
                <body>
            data:
                <var>: <list>

    Evaluates expression <body> on the given data, with upstream's limits on
    collection sizes and memory.
    """

    _engine: Any = None
    _context: Any = None
    expression: Any
    data: Any

    def _parse_args(self) -> None:
        if not isinstance(self.args, Mapping):
            raise FunctionArgumentError(f'Arguments to "{self.fn_name}" must be a map.')
        if "expression" not in self.args or set(self.args) - {"expression", "data"}:
            example = (
                f"{self.fn_name}:\n"
                "              expression: $.data.var1.sum()\n"
                "              data:\n"
                "                var1: [3, 2, 1]"
            )
            raise FunctionArgumentError(f'"{self.fn_name}" syntax should be {example}', quoted=True)
        self.expression = self.args["expression"]
        self.data = self.args.get("data", {})

    @classmethod
    def _parser(cls) -> Any:
        if cls._engine is None:
            import collections.abc  # noqa: F401 - yaql 3 needs it imported first

            import yaql

            cls._engine = yaql.YaqlFactory().create(
                {
                    "yaql.limitIterators": YAQL_LIMIT_ITERATORS,
                    "yaql.memoryQuota": YAQL_MEMORY_QUOTA,
                }
            )
            cls._context = yaql.create_context()
        return cls._engine

    def _parse(self, expression: Any) -> Any:
        if not isinstance(expression, str):
            raise FunctionArgumentError(
                f'The "expression" argument to {self.fn_name} must contain a string.'
            )
        from yaql.language import exceptions

        try:
            return self._parser()(expression)
        except exceptions.YaqlException as exc:
            raise FunctionArgumentError(f"Bad expression {exc}.") from None

    def validate(self, scope: ValidationScope) -> None:
        super().validate(scope)
        if not isinstance(self.expression, Function):
            self._parse(self.expression)

    def result(self, ctx: EvalContext) -> Any:
        expression = resolve(self.expression, ctx)
        data = resolve(self.data, ctx)
        if contains_unknown([expression, data]):
            return UNKNOWN
        statement = self._parse(expression)
        try:
            value = statement.evaluate({"data": data}, self._context.create_child_context())
        except Exception as exc:  # yaql raises many kinds; upstream shows their text
            raise FunctionArgumentError(str(exc)) from None
        return _plain(value)


def _plain(value: Any) -> Any:
    # yaql answers with its own frozen collections and iterators; the rest of
    # the engine (and JSON) wants plain lists and dicts.
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return value
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_plain(v) for v in value]
    return value
