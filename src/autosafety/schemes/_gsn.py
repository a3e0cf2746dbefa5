"""Goal Structuring Notation safety cases in gsn2x's YAML form.

A case (one gsn2x module) maps element ids to elements. The id's prefix gives the type as in
gsn2x (G goal, S strategy, Sn solution, C context, A assumption, J justification; CG/CSn counter
elements of the dialectic extension) unless ``nodeType`` is given. Reading is in
:mod:`._gsn_read`, gsn2x's checks in :mod:`._gsn_check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TYPES = {"G": "Goal", "S": "Strategy", "Sn": "Solution", "C": "Context", "A": "Assumption",
         "J": "Justification", "CG": "CounterGoal", "CSn": "CounterSolution"}
_PREFIX_ORDER = ("CG", "G", "CSn", "Sn", "S", "C", "A", "J")  # gsn2x's order (Sn before S)
SUPPORTERS = {"Goal", "Strategy", "Solution"}
"""Element types that may appear under ``supportedBy``."""
CONTEXTS = {"Context", "Assumption", "Justification"}
"""Element types that may appear under ``inContextOf``."""
COUNTERS = {"CounterGoal", "CounterSolution"}

RULES = {
    "V01": "every id starts with a known prefix (G, S, Sn, C, A, J, CG, CSn) or sets nodeType",
    "V02": "a goal or strategy has supporting elements or is marked `undeveloped: true` (warning)",
    "V03": "an element marked undeveloped has no supporting elements",
    "V04": "supportedBy lists goals, strategies or solutions and inContextOf lists contexts, "
           "assumptions or justifications, both only on goals and strategies (counter goals: "
           "counter elements)",
    "V05": "references in a list are unique (warning)",
    "V06": "an element does not reference itself",
    "V07": "an element developing another module's element is a goal, strategy or solution of "
           "this module",
    "V08": "an explicit nodeType agrees with the id's prefix (warning; --extended-check)",
    "V09": "an assurance claim point (acp) names the element itself or a connected element",
    "V10": "an element marked `defeated` is challenged by another element",
    "V11": "the dialectic extension is used (warning; --warn-dialectic)",
    "V12": "only counter goals and counter solutions challenge",
    "V13": "a relation marked in `defeatedRelation` exists",
    "C01": "there is at least one unreferenced (top-level) element; more than one is a warning",
    "C02": "a single top-level element is a goal",
    "C03": "every supportedBy and inContextOf reference resolves to an element",
    "C04": "there are no supportedBy cycles",
    "C06": "module names are unique (a `uses` cycle reads a module twice)",
    "C07": "element ids are unique across modules",
    "C08": "every element is reachable from the top-level element(s)",
    "C09": "every extended module exists",
    "C10": "every extended element exists in the named module and is undeveloped",
    "C11": "an unresolved reference with commas may be a list written as a string (warning)",
    "C12": "both ends of a challenged relation exist",
    "C13": "an element does not challenge itself",
    "C14": "a challenged element exists",
    "C15": "a challenged relation has two different ends",
    "C16": "a challenged relation exists",
}
"""gsn2x's checks (its doc/src/checks.md), with gsn2x's ids."""

KNOWN_ATTRS = ("text", "inContextOf", "supportedBy", "challenges", "defeated", "defeatedRelation",
               "classes", "url", "undeveloped", "nodeType", "rankIncrement", "horizontalIndex",
               "charWrap", "acp")
"""gsn2x's element attributes; any other key is a layer attribute (reserved words for --layer)."""


@dataclass
class Node:
    """One GSN element. ``attrs`` keeps every other attribute as written (classes, acp,
    horizontalIndex, rankIncrement, charWrap, nodeType, layers, confidence) for export."""

    id: str
    type: str
    text: str
    supported_by: list[str] = field(default_factory=list)
    in_context_of: list[str] = field(default_factory=list)
    undeveloped: bool = False
    url: str = ""
    challenges: str = ""
    """One element id, or a relation ``X -> Y``; empty if the element challenges nothing."""
    defeated: bool = False
    defeated_relation: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def node_type(self) -> str | None:
        """The explicit ``nodeType``, if given."""
        value = self.attrs.get("nodeType")
        return value if isinstance(value, str) else None

    @property
    def layers(self) -> dict[str, Any]:
        """Attributes that are not gsn2x's own (layers, and this tool's `confidence` etc.)."""
        return {k: v for k, v in self.attrs.items() if k not in KNOWN_ATTRS}

    def to_gsn2x(self) -> dict[str, Any]:
        """The element as gsn2x YAML data (every attribute kept)."""
        out: dict[str, Any] = {"text": self.text} if self.text else {}
        if "nodeType" in self.attrs:
            out["nodeType"] = self.attrs["nodeType"]
        if self.supported_by:
            out["supportedBy"] = list(self.supported_by)
        if self.in_context_of:
            out["inContextOf"] = list(self.in_context_of)
        if self.undeveloped:
            out["undeveloped"] = True
        if self.url:
            out["url"] = self.url
        if self.challenges:
            out["challenges"] = self.challenges
        if self.defeated:
            out["defeated"] = True
        if self.defeated_relation:
            out["defeatedRelation"] = list(self.defeated_relation)
        return {**out, **{k: v for k, v in self.attrs.items() if k not in out}}


@dataclass
class SafetyCase:
    """One gsn2x module: name, brief, other module information, and elements in document order."""

    name: str
    brief: str
    nodes: dict[str, Node] = field(default_factory=dict)
    module_attrs: dict[str, Any] = field(default_factory=dict)
    """Other `module` entries as written (uses, extends, stylesheets, layout, free information)."""
    path: str = ""
    """The file it was read from, as given (gsn2x's wording in C06/C07)."""
    provided_by: str = "command line"
    """How gsn2x came to read it: 'command line' or 'file X' (a `uses`)."""
    notes: list[str] = field(default_factory=list)
    """What gsn2x silently ignores in it (a malformed `module` entry), said aloud."""

    def add(self, node: Node) -> Node:
        """Add an element (ids must be new)."""
        if node.id in self.nodes:
            raise ValueError(f"duplicate GSN id {node.id}")
        self.nodes[node.id] = node
        return node

    @property
    def extends(self) -> list[tuple[str, dict[str, list[str]]]]:
        """(module, {foreign id: [local ids]}) for each `extends` entry."""
        out = []
        for ext in self.module_attrs.get("extends") or []:
            develops = {str(k): [str(x) for x in v] for k, v in ext["develops"].items()}
            out.append((str(ext["module"]), develops))
        return out

    def to_gsn2x(self) -> dict[str, Any]:
        """gsn2x YAML data: a `module` entry, then one entry per element."""
        module: dict[str, Any] = {"name": self.name}
        if self.brief:
            module["brief"] = self.brief
        return {"module": {**module, **self.module_attrs},
                **{n.id: n.to_gsn2x() for n in self.nodes.values()}}


@dataclass(frozen=True)
class Violation:
    """One gsn2x diagnostic: the element it is about (if one), gsn2x's rule id (empty for its
    messages without one), its message, severity and location (the module, or None for checks
    of the whole argument)."""

    node: str
    rule: str
    message: str
    severity: str = "error"
    module: str | None = None

    def gsn2x(self) -> str:
        """The line gsn2x prints: ``Error: (module) V04: ...``."""
        where = f" ({self.module})" if self.module is not None else ""
        rule = f"{self.rule}: " if self.rule else ""
        return f"{self.severity.capitalize()}:{where} {rule}{self.message}"

    def __str__(self) -> str:
        return self.gsn2x()


def type_of(node_id: str, node_type: str | None = None) -> str | None:
    """The GSN type from an explicit nodeType or the id's prefix; None if neither gives one."""
    if node_type:
        return node_type if node_type in TYPES.values() else None
    for prefix in _PREFIX_ORDER:
        if node_id.startswith(prefix):
            return TYPES[prefix]
    return None


def challenge_parts(value: str) -> tuple[str, str | None]:
    """gsn2x's reading of `challenges`: (element, None), or (X, Y) for a relation ``X -> Y``."""
    if "->" in value:
        left, right = value.split("->", 1)
        return left.strip(), right.strip()
    return value, None


def validate(case: SafetyCase) -> list[Violation]:
    """gsn2x's verdict on one module: errors and warnings in gsn2x's order (see :data:`RULES`)."""
    from ._gsn_check import check

    return check([case])


def errors(violations: list[Violation]) -> list[Violation]:
    """Only the errors."""
    return [v for v in violations if v.severity == "error"]


def case_from_data(data: Any, *, origin: str = "case") -> tuple[SafetyCase, list[Violation]]:
    """A SafetyCase from gsn2x YAML data, and the attributes gsn2x would refuse to read."""
    from ._gsn_read import case_from_data as read

    case, problems = read(data, origin=origin)
    return case, [Violation(p.location.rsplit(": ", 1)[-1], "", p.message) for p in problems]
