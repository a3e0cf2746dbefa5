"""Reading gsn2x YAML as strictly as gsn2x: attribute types, module information, `uses` files.

gsn2x refuses a whole file when one attribute has the wrong type (its serde reading); here every
such attribute is listed with its location instead. What gsn2x accepts is accepted, and kept as
written for export (classes, acp, horizontalIndex, rankIncrement, charWrap, layer attributes).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .._errors import InputError, Problem
from ._gsn import TYPES, Node, SafetyCase, Violation, type_of

_U32, _I32, _U64 = 2**32 - 1, 2**31, 2**64 - 1
_REF_FIX = "write one id, or a list: [G1, G2]"


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _str_list(v: Any, *, single: bool) -> bool:
    """A list of strings (or, if ``single``, one string too)."""
    return (single and isinstance(v, str)) or (isinstance(v, list) and all(isinstance(x, str) for x in v))


def _index_problem(v: Any) -> str | None:
    """Why a horizontalIndex is not gsn2x's ``{relative: N}`` / ``{absolute: N | last}``."""
    if not isinstance(v, dict) or len(v) != 1 or next(iter(v)) not in ("relative", "absolute"):
        return "must be {relative: N} or {absolute: N} (N a whole number; absolute also `last`)"
    kind, n = next(iter(v.items()))
    if kind == "relative":
        return None if _is_int(n) and -_I32 <= n < _I32 else "relative index must be a whole number"
    if (_is_int(n) and 0 <= n <= _U32) or n == "last":
        return None
    if isinstance(n, str) and n.lstrip("+").isdigit() and n.lstrip("+").isascii() and int(n) <= _U32:
        return None
    return "absolute index must be a whole number >= 0 or `last`"


def _layout_problems(body: dict[str, Any], where: str) -> list[Problem]:
    out = []
    if body.get("horizontalIndex") is not None and (why := _index_problem(body["horizontalIndex"])):
        out.append(Problem(f"{where}.horizontalIndex", why, "e.g. horizontalIndex: {relative: -1}"))
    for key, top in (("rankIncrement", _U64), ("charWrap", _U32)):
        v = body.get(key)
        if v is not None and not (_is_int(v) and 0 <= v <= top):
            out.append(Problem(f"{where}.{key}", f"must be a whole number >= 0, not {v!r}"[:200],
                               f"e.g. {key}: 2"))
    return out


def _acp_problem(v: Any) -> bool:
    return not (isinstance(v, dict) and all(isinstance(k, str) and _str_list(x, single=True)
                                            for k, x in v.items()))


def attribute_problems(nid: str, body: Any, *, origin: str) -> list[Problem]:
    """Every attribute of one element that gsn2x would refuse to read, located."""
    where = f"{origin}: {nid}"
    if not isinstance(body, dict):
        return [Problem(where, f"an element must be a mapping of attributes, not {_kind(body)}",
                        "write e.g. `G1: {text: My claim, undeveloped: true}`")]
    out = []
    if isinstance(body.get("name"), str):
        out.append(Problem(f"{where}.name", "gsn2x reads an element with a `name` as module "
                           "information and stops", "rename the attribute (e.g. `title`)"))
    if "text" in body and not isinstance(body["text"], str):
        out.append(Problem(f"{where}.text", f"must be text, not {_kind(body['text'])}", "quote it"))
    for key in ("supportedBy", "inContextOf", "defeatedRelation"):
        if key in body and not _str_list(body[key], single=True):
            out.append(Problem(f"{where}.{key}", f"must be an id or a list of ids, not {_kind(body[key])}",
                               _REF_FIX))
    if "challenges" in body and not isinstance(body["challenges"], str):
        out.append(Problem(f"{where}.challenges", f"must be one id or a relation `X -> Y`, not "
                           f"{_kind(body['challenges'])}", "e.g. challenges: G2 (one element per "
                                                           "challenger)"))
    for key in ("undeveloped", "defeated"):
        if key in body and not isinstance(body[key], bool):
            out.append(Problem(f"{where}.{key}", f"must be true or false, not {_kind(body[key])}",
                               f"{key}: true"))
    if "classes" in body and not _str_list(body["classes"], single=False):
        out.append(Problem(f"{where}.classes", f"must be a list of class names, not {_kind(body['classes'])}",
                           "e.g. classes: [mycssclass]"))
    if body.get("url") is not None and not isinstance(body["url"], str):
        out.append(Problem(f"{where}.url", f"must be text, not {_kind(body['url'])}", "quote it"))
    nt = body.get("nodeType")
    if nt is not None and nt not in TYPES.values():
        out.append(Problem(f"{where}.nodeType", f"unknown nodeType {str(nt)[:60]!r}",
                           "use one of " + ", ".join(TYPES.values())))
    if "acp" in body and _acp_problem(body["acp"]):
        out.append(Problem(f"{where}.acp", "must map each assurance claim point to an id or a list of ids",
                           "e.g. acp: {ACP1: [Sn1, Sn2]}"))
    return out + _layout_problems(body, where)


def _kind(v: Any) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return f"{str(v).lower()}"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, str):
        return f"the text {v[:40]!r}"
    return "a mapping" if isinstance(v, dict) else "a list" if isinstance(v, list) else type(v).__name__


def _refs(v: Any) -> list[str]:
    return [v] if isinstance(v, str) else list(v or [])


def node_from_data(nid: str, body: dict[str, Any]) -> Node:
    """A Node from an element's attributes (already checked by :func:`attribute_problems`)."""
    core = ("text", "supportedBy", "inContextOf", "undeveloped", "url", "challenges", "defeated",
            "defeatedRelation")
    return Node(nid, type_of(nid, body.get("nodeType")) or "Unknown", body.get("text", ""),
                _refs(body.get("supportedBy")), _refs(body.get("inContextOf")),
                body.get("undeveloped", False),
                body.get("url") or "", body.get("challenges", ""), body.get("defeated", False),
                _refs(body.get("defeatedRelation")), {k: v for k, v in body.items() if k not in core})


def module_problems(info: Any, *, origin: str) -> list[Problem]:
    """Why a `module` entry is not gsn2x's module information (name, brief, extends, uses, ...)."""
    where = f"{origin}: module"
    if not isinstance(info, dict):
        return [Problem(where, f"must be a mapping with `name`, not {_kind(info)}", "module: {name: Main}")]
    out = []
    if not isinstance(info.get("name"), str):
        out.append(Problem(f"{where}.name", "module information needs a `name` (text)", "name: Main"))
    if info.get("brief") is not None and not isinstance(info["brief"], str):
        out.append(Problem(f"{where}.brief", f"must be text, not {_kind(info['brief'])}", "quote it"))
    for key in ("uses", "stylesheets"):
        if key in info and not _str_list(info[key], single=False):
            out.append(Problem(f"{where}.{key}", f"must be a list of paths, not {_kind(info[key])}",
                               f"{key}: [other.gsn.yaml]"))
    ext = info.get("extends", [])
    if not isinstance(ext, list):
        out.append(Problem(f"{where}.extends", "must be a list of {module, develops}",
                           "extends: [{module: template, develops: {G1: [G2]}}]"))
    else:
        for i, e in enumerate(ext):
            ok = (isinstance(e, dict) and isinstance(e.get("module"), str)
                  and isinstance(e.get("develops"), dict)
                  and all(isinstance(k, str) and _str_list(v, single=False)
                          for k, v in e["develops"].items()))
            if not ok:
                out.append(Problem(f"{where}.extends[{i}]", "needs `module` (a name) and `develops` (each "
                                   "foreign id mapped to a list of local ids)",
                                   "{module: template, develops: {G1: [G2]}}"))
    return out + _layout_problems(info, where)


def escape_name(path: str) -> str:
    """gsn2x's module name for a file without module information."""
    return "".join("_" if ch in ".- /\\:'\"~" else ch for ch in path)


def case_from_data(data: Any, *, origin: str = "case",
                   default_name: str | None = None) -> tuple[SafetyCase, list[Problem]]:
    """One module from gsn2x YAML data, and every attribute gsn2x would refuse (empty if none).

    A `module` entry that is not valid module information but reads as element attributes is
    ignored, as gsn2x ignores it (the module is then named after the file)."""
    name = default_name if default_name is not None else escape_name(origin)
    if data is None:
        return SafetyCase(name, ""), []
    if not isinstance(data, dict):
        return SafetyCase(name, ""), [Problem(origin, f"expected a mapping of element ids, not {_kind(data)}",
                                              "write `G1: {text: ...}` entries at the top level")]
    problems: list[Problem] = []
    case = SafetyCase(name, "")
    info: Any = data.get("module")
    if "module" in data:
        why = module_problems(info, origin=origin)
        if not why and isinstance(info, dict):
            case.name, case.brief = info["name"], info.get("brief") or ""
            case.module_attrs = {k: v for k, v in info.items() if k not in ("name", "brief")}
        elif not isinstance(info, dict) or attribute_problems(
                "module", {k: v for k, v in info.items() if k != "name"}, origin=origin):
            problems += why  # neither module information nor (ignored) element attributes
        else:
            case.notes.append(f"{origin}: the `module` entry is ignored, as gsn2x ignores it ("
                              + "; ".join(f"{p.location.split(': ', 1)[-1]}: {p.message}" for p in why)
                              + f"); the module is named {name}")
    for key, body in data.items():
        nid = str(key)
        if nid == "module":
            continue
        bad = attribute_problems(nid, body, origin=origin)
        problems += bad
        if not bad:
            case.nodes[nid] = node_from_data(nid, body)
    return case, problems


def read_cases(paths: Sequence[str | os.PathLike[str]], *,
               read: Callable[[Path], str] | None = None) -> tuple[list[SafetyCase], list[Violation]]:
    """Read files as gsn2x does: the given ones, then each round of `uses` (relative to the using
    file). Returns the modules in reading order, and C06 if a module name comes twice (a `uses`
    cycle); a missing or unreadable file is an InputError."""
    from .._input import load_yaml
    from ..model._files import read_text

    reader = read or read_text
    cases: list[SafetyCase] = []
    seen: dict[str, SafetyCase] = {}
    todo: list[tuple[str, str, str]] = [(str(p).replace("\\", "/"), "command line", "") for p in paths]
    while todo:
        later: list[tuple[str, str, str]] = []
        for path, provided_by, used_by in todo:
            if used_by and not Path(path).is_file():
                raise InputError(Problem(used_by, f"uses '{path}', which does not exist",
                                         "fix the path (relative to the using file) or create the file"),
                                 title="a used module is missing")
            data = load_yaml(reader(Path(path)), origin=path)
            if isinstance(data, dict) and isinstance(data.get("case"), dict) and "level" in data:
                data = data["case"]  # the JSON report of `autosafety scheme case -f json`
            case, problems = case_from_data(data, origin=path)
            if problems:
                raise InputError(problems, title=f"{path}: gsn2x cannot read this file")
            case.path, case.provided_by = path, provided_by
            if case.name in seen:
                prev = seen[case.name]
                return cases, [Violation("", "C06", f"Module in {path} was already present in {prev.path} "
                                         f"provided by {prev.provided_by}.", module=case.name)]
            seen[case.name] = case
            cases.append(case)
            for used in case.module_attrs.get("uses", []):
                target = used if os.path.isabs(used) else os.path.join(os.path.dirname(path), used)
                target = target.replace("\\", "/")
                later.append((target, f"file {target}", f"{path}: module.uses"))
        todo = later
    return cases, []
