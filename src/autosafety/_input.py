"""Reading YAML and JSON written by anyone, safely: every loader of user text goes through here.

What a hostile 1 KB file could do, and what stops it:

- an alias tree ("billion laughs") that validates small and expands enormously on output:
  the composed node graph is measured before anything is built, and a document whose aliases
  add more than ``ALIAS_BUDGET`` values and characters is refused at the alias that does it;
- nesting so deep that building or validating it overflows the stack: refused beyond
  ``MAX_DEPTH`` levels, with the location;
- an integer too long for ``int()`` (Python refuses over 4,300 digits): refused with its location;
- a key given twice in one mapping (the last silently wins elsewhere): refused with its location.

YAML is read with libyaml (``CSafeLoader``) when PyYAML has it: several times faster than the
pure-Python parser, so a file under the size cap loads in seconds.
"""

from __future__ import annotations

import gc
import json
from typing import Annotated, Any

import yaml
from pydantic import BeforeValidator
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ._errors import InputError, Problem

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted."""
MAX_INT_DIGITS = 4300
"""Longest integer accepted (Python's own limit for converting text to int)."""
ALIAS_BUDGET = 1_000_000
"""How much YAML aliases may add to a document: values plus characters of the strings they copy
(a document without aliases counts at most about twice its length)."""

MAX_FREE_FORM = 100_000
"""Largest free-form value (provenance, experiment parameters): values plus string characters."""

_MERGE = "tag:yaml.org,2002:merge"
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _where(origin: str, mark: Any) -> str:
    return f"{origin}: line {mark.line + 1} column {mark.column + 1}" if mark else origin


class _Refused(ConstructorError):
    """A document refused before construction (fix in ``note``)."""

    def __init__(self, problem: str, mark: Any, fix: str):
        super().__init__(None, None, problem, mark)
        self.fix = fix


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SCALARS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:null"}


class _Fallback(Exception):
    """A document with tags or merge keys the fast builder leaves to PyYAML's constructor."""


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    return [n for pair in node.value for n in pair]


def _refuse_expansion(top: Node, size: dict[int, int], limit: int) -> None:
    """Raise at the smallest collection under ``top`` whose aliases expand it past ``limit``."""
    worst, node = top, top
    while True:
        big = [c for c in _children(node) if size.get(id(c), 0) > limit]
        if not big:
            break
        worst = node = big[0]
    raise _Refused(f"aliases expand this document past {limit:,} values and characters "
                   f"(to {size[id(worst)]:,})", worst.start_mark,
                   "write the values out instead of repeating a large anchor (&name/*name)")


def build(loader: Any, root: Node, *, limit: int, construct: bool = True) -> Any:
    """The data of a composed YAML node graph, built without recursion, refusing cycles,
    nesting over MAX_DEPTH, duplicate keys, over-long integers and alias expansion past
    ``limit`` (values + string characters), each at its line and column. Aliased nodes are
    built once and shared, as PyYAML does. Linear in the distinct nodes.

    With ``construct=False`` only measures (for documents left to PyYAML's constructor)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    built: dict[int, Any] = {}
    started: set[int] = set()
    scalar_value = loader.construct_object
    stack = [root]
    if isinstance(root, ScalarNode):
        return scalar_value(root) if construct else None
    while stack:
        node = stack[-1]
        key = id(node)
        if key in size:
            stack.pop()
            continue
        kids = _children(node)
        if key not in started:
            started.add(key)
            pending = [c for c in kids if not isinstance(c, ScalarNode) and id(c) not in size]
            for c in pending:
                if id(c) in started:
                    raise _Refused("an alias refers to a collection that contains it",
                                   c.start_mark, "replace the alias (*name) by the values it "
                                   "should hold")
            if pending:
                stack.extend(reversed(pending))
                continue
        stack.pop()
        total, deepest = 1, 0
        for c in kids:
            if isinstance(c, ScalarNode):
                total += 1 + len(c.value)
            else:
                total += size[id(c)]
                deepest = max(deepest, depth[id(c)])
        size[key], depth[key] = total, deepest + 1
        if deepest + 1 > MAX_DEPTH:
            raise _Refused(f"nested too deeply to read (more than {MAX_DEPTH} levels)", node.start_mark,
                           "flatten the structure")
        if total > limit:
            _refuse_expansion(node, size, limit)
        if not construct:
            continue
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise _Fallback
            built[key] = [c.value if c.tag == _STR and isinstance(c, ScalarNode) else
                          (scalar_value(c) if isinstance(c, ScalarNode) else built[id(c)])
                          for c in kids]
            continue
        if node.tag != _MAP:
            raise _Fallback
        mapping: dict[Any, Any] = {}
        for k, v in node.value:
            if not isinstance(k, ScalarNode) or k.tag not in (_STR, *_SCALARS):
                raise _Fallback  # merge keys (<<), complex keys
            name = k.value if k.tag == _STR else scalar_value(k)
            if name in mapping:
                raise _Refused(f"duplicate key '{str(name)[:100]}'", k.start_mark,
                               "give each key once (the later one would silently win)")
            if isinstance(v, ScalarNode):
                if v.tag == _STR:
                    mapping[name] = v.value
                elif v.tag in _SCALARS:
                    mapping[name] = scalar_value(v)
                else:
                    raise _Fallback
            else:
                mapping[name] = built[id(v)]
        built[key] = mapping
    return built[id(root)] if construct else None


class SafeLoader(_Base):
    """PyYAML's safe loader (libyaml when available) that measures the document before building
    it (depth, alias expansion), refuses duplicate keys and over-long integers, with locations.

    Plain documents (strings, numbers, booleans, nulls, lists, mappings) are built by
    :func:`build` in one pass; anything else (dates, merge keys, other tags) by PyYAML's safe
    constructor after the same checks."""

    limit = ALIAS_BUDGET

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        try:
            return build(self, node, limit=self.limit)
        except _Fallback:
            build(self, node, limit=self.limit, construct=False)
            return self.construct_document(node)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=deep)
                try:
                    duplicate = key in seen
                except TypeError:
                    raise ConstructorError("while constructing a mapping", node.start_mark,
                                           "found an unhashable key", key_node.start_mark) from None
                if duplicate:
                    raise _Refused(f"duplicate key '{str(key)[:100]}'", key_node.start_mark,
                                   "give each key once (the later one would silently win)")
                seen.add(key)
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result

    def construct_yaml_int(self, node: ScalarNode) -> int:
        digits = sum(ch.isdigit() for ch in node.value)
        if digits > MAX_INT_DIGITS:
            raise _Refused(f"an integer of {digits:,} digits (over {MAX_INT_DIGITS:,})",
                           node.start_mark, "write a shorter number")
        value: int = super().construct_yaml_int(node)
        return value


SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_yaml_int)


def load_yaml(text: str, *, origin: str, kind: str = "YAML") -> Any:
    """YAML (or JSON, which is YAML) text as data, or an InputError with line and column."""
    title = f"{origin} is not valid {kind}"
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        loader = SafeLoader(text)
        # Without aliases a document's size (values + characters) is at most about twice its
        # text; aliases may add ALIAS_BUDGET to that.
        loader.limit = 2 * len(text) + ALIAS_BUDGET + 16
        collecting = gc.isenabled()
        gc.disable()  # the node graph holds no cycles; collecting while it grows triples the time
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
            if collecting:
                gc.enable()
    except _Refused as e:
        raise InputError(Problem(_where(origin, e.problem_mark), str(e.problem), e.fix),
                         title=title) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        what = getattr(e, "problem", None) or str(e)
        if "maximum nesting depth" in what:  # libyaml stops at 1,000 levels
            raise InputError(Problem(_where(origin, mark), f"nested too deeply to read (more "
                                     f"than {MAX_DEPTH} levels)", "flatten the structure"),
                             title=title) from None
        raise InputError(Problem(_where(origin, mark), f"malformed {kind}: {what}",
                                 "fix the syntax (indentation, quotes, colons)"),
                         title=title) from None
    except RecursionError:  # not expected after measure(); kept as a last guard
        raise InputError(Problem(origin, "nested too deeply to read", "flatten the structure"),
                         title=title) from None
    except ValueError as e:
        raise InputError(Problem(origin, f"unreadable value: {str(e)[:200]}",
                                 "check numbers and dates"), title=title) from None


# -- JSON ---------------------------------------------------------------------------------------
class _Duplicates(dict[str, Any]):
    """A JSON object that had keys given twice (they are reported with their path)."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    marked = _Duplicates(out)
    seen: set[str] = set()
    marked.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return marked


class _LongInt(ValueError):
    def __init__(self, text: str):
        super().__init__(text[:20])
        self.text = text


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongInt(text)
    return int(text)


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line} column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def check_data(data: Any, *, origin: str, title: str) -> None:
    """Refuse parsed JSON data nested over MAX_DEPTH or with duplicate keys, with the field path."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, level = stack.pop()
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if level >= MAX_DEPTH:
            raise InputError(Problem(f"{origin}: {path or '(top level)'}",
                                     f"nested too deeply to read (more than {MAX_DEPTH} levels)",
                                     "flatten the structure"), title=title)
        if isinstance(value, _Duplicates):
            raise InputError([Problem(f"{origin}: {path + '.' if path else ''}{k[:100]}",
                                      "duplicate key", "give each key once (the later one "
                                      "would silently win)") for k in value.duplicates],
                             title=title)
        for k, v in items:
            if isinstance(v, (dict, list)):
                stack.append((v, f"{path}[{k}]" if isinstance(k, int)
                              else (f"{path}.{k}" if path else str(k)), level + 1))


def load_json(text: str, *, origin: str) -> Any:
    """JSON text as data, or an InputError with the location: malformed, nested over MAX_DEPTH,
    a key given twice, or an integer over MAX_INT_DIGITS digits."""
    title = f"{origin} is not valid JSON"
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise InputError(Problem(f"{origin}: line {e.lineno} column {e.colno}",
                                 f"malformed JSON: {e.msg}", "fix the JSON syntax"),
                         title=title) from None
    except _LongInt as e:
        raise InputError(Problem(f"{origin}: {_line_col(text, max(text.find(e.text), 0))}",
                                 f"an integer of {len(e.text):,} digits (over "
                                 f"{MAX_INT_DIGITS:,})", "write a shorter number"),
                         title=title) from None
    except RecursionError:
        raise InputError(Problem(origin, f"nested too deeply to read (more than {MAX_DEPTH} levels)",
                                 "flatten the structure"), title=title) from None
    except ValueError as e:
        raise InputError(Problem(origin, f"unreadable JSON: {str(e)[:200]}", "fix the JSON"),
                         title=title) from None
    check_data(data, origin=origin, title=title)
    return data


def free_form_size(value: Any, *, limit: int) -> int:
    """Values plus string characters in a free-form value, counting no further than ``limit``."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        v = stack.pop()
        total += 1
        if isinstance(v, str):
            total += len(v)
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return total


def _capped(value: Any) -> Any:
    if free_form_size(value, limit=MAX_FREE_FORM) > MAX_FREE_FORM:
        raise ValueError(f"over {MAX_FREE_FORM:,} values and characters; keep free-form fields "
                         "short (put long material in a file and give its path or URL)")
    return value


FreeForm = Annotated[dict[str, Any], BeforeValidator(_capped)]
"""A free-form mapping (provenance, parameters) capped at MAX_FREE_FORM values and characters."""
