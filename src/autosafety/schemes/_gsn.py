"""Goal Structuring Notation safety cases in gsn2x's YAML form, and validation with gsn2x's rules.

A case is a mapping from element id to element. The id's prefix gives the type as in gsn2x
(G goal, S strategy, Sn solution, C context, A assumption, J justification; CG/CSn counter
elements of the dialectic extension) unless ``nodeType`` is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TYPES = {"G": "Goal", "S": "Strategy", "Sn": "Solution", "C": "Context", "A": "Assumption",
         "J": "Justification", "CG": "CounterGoal", "CSn": "CounterSolution"}
_PREFIX_ORDER = ("CSn", "CG", "Sn", "G", "S", "C", "A", "J")
SUPPORTERS = {"Goal", "Strategy", "Solution"}
"""Element types that may appear under ``supportedBy``."""
CONTEXTS = {"Context", "Assumption", "Justification"}
"""Element types that may appear under ``inContextOf``."""
COUNTERS = {"CounterGoal", "CounterSolution"}

RULES = {
    "V01": "every id starts with a known prefix (G, S, Sn, C, A, J) or sets nodeType",
    "V02": "a leaf goal or strategy has supporting evidence or is marked undeveloped",
    "V03": "an element marked undeveloped has no supporting elements",
    "V04": "link types are valid: supportedBy lists goals, strategies or solutions and "
           "inContextOf lists contexts, assumptions or justifications, both only on goals and strategies",
    "V05": "references in a list are unique",
    "V06": "an element does not reference itself",
    "T01": "every element has a text",
    "C01": "there is exactly one root (an element no other element references)",
    "C02": "the root is a goal",
    "C03": "every reference resolves to an element",
    "C04": "there are no supportedBy cycles",
    "C08": "every element is reachable from the root",
}
"""The checks, numbered as gsn2x numbers them (T01 is gsn2x's mandatory `text`)."""


@dataclass
class Node:
    """One GSN element."""

    id: str
    type: str
    text: str
    supported_by: list[str] = field(default_factory=list)
    in_context_of: list[str] = field(default_factory=list)
    undeveloped: bool = False
    url: str = ""
    challenges: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_gsn2x(self) -> dict[str, Any]:
        """The element as gsn2x YAML data."""
        out: dict[str, Any] = {"text": self.text}
        if self.supported_by:
            out["supportedBy"] = list(self.supported_by)
        if self.in_context_of:
            out["inContextOf"] = list(self.in_context_of)
        if self.undeveloped:
            out["undeveloped"] = True
        if self.url:
            out["url"] = self.url
        if self.challenges:
            out["challenges"] = list(self.challenges)
        return {**out, **self.extra}


@dataclass
class SafetyCase:
    """A GSN argument: module information and elements in document order."""

    name: str
    brief: str
    nodes: dict[str, Node] = field(default_factory=dict)

    def add(self, node: Node) -> Node:
        """Add an element (ids must be new)."""
        if node.id in self.nodes:
            raise ValueError(f"duplicate GSN id {node.id}")
        self.nodes[node.id] = node
        return node

    def to_gsn2x(self) -> dict[str, Any]:
        """gsn2x YAML data: a `module` entry, then one entry per element."""
        return {"module": {"name": self.name, "brief": self.brief},
                **{n.id: n.to_gsn2x() for n in self.nodes.values()}}


@dataclass(frozen=True)
class Violation:
    """One broken rule at one element."""

    node: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.node}: [{self.rule}] {self.message}"


def type_of(node_id: str, node_type: str | None = None) -> str | None:
    """The GSN type from an explicit nodeType or the id's prefix; None if neither gives one."""
    if node_type:
        return node_type if node_type in TYPES.values() else None
    for prefix in _PREFIX_ORDER:
        if node_id.startswith(prefix):
            return TYPES[prefix]
    return None


def _refs(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def case_from_data(data: Any) -> tuple[SafetyCase, list[Violation]]:
    """A SafetyCase from gsn2x YAML data, and the structural problems found while reading it."""
    if not isinstance(data, dict):
        return SafetyCase("", ""), [Violation("(top level)", "T01", "expected a mapping of element ids")]
    raw_module = data.get("module")
    module: dict[str, Any] = raw_module if isinstance(raw_module, dict) else {}
    case = SafetyCase(str(module.get("name", "")), str(module.get("brief", "")))
    bad: list[Violation] = []
    for key, value in data.items():
        nid = str(key)
        if nid == "module":
            continue
        body = value if isinstance(value, dict) else {}
        if not isinstance(value, dict):
            bad.append(Violation(nid, "T01", "element must be a mapping with a `text`"))
        ntype = type_of(nid, body.get("nodeType"))
        if ntype is None:
            bad.append(Violation(nid, "V01", f"unknown type: '{nid}' has no known prefix and no nodeType"))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            bad.append(Violation(nid, "T01", "missing `text`"))
        links = {}
        for attr in ("supportedBy", "inContextOf", "challenges"):
            refs = _refs(body.get(attr))
            if refs is None:
                bad.append(Violation(nid, "V04", f"`{attr}` must be a list of element ids"))
                refs = []
            links[attr] = refs
        known = {"text", "supportedBy", "inContextOf", "challenges", "undeveloped", "url", "nodeType"}
        case.nodes[nid] = Node(nid, ntype or "Unknown", text if isinstance(text, str) else "",
                               links["supportedBy"], links["inContextOf"], body.get("undeveloped") is True,
                               str(body.get("url", "") or ""), links["challenges"],
                               {k: v for k, v in body.items() if k not in known})
    return case, bad


def _link_violations(case: SafetyCase) -> list[Violation]:
    out = []
    nodes = case.nodes
    for n in nodes.values():
        for attr, refs, allowed in (("supportedBy", n.supported_by, SUPPORTERS | COUNTERS),
                                    ("inContextOf", n.in_context_of, CONTEXTS)):
            if refs and n.type not in {"Goal", "Strategy"} | COUNTERS:
                out.append(Violation(n.id, "V04", f"a {n.type} cannot have `{attr}`"))
            seen = set()
            for r in refs:
                if r in seen:
                    out.append(Violation(n.id, "V05", f"`{attr}` lists '{r}' twice"))
                seen.add(r)
                if r == n.id:
                    out.append(Violation(n.id, "V06", f"`{attr}` references the element itself"))
                elif r not in nodes:
                    out.append(Violation(n.id, "C03", f"`{attr}` references '{r}', which is not defined"))
                elif nodes[r].type not in allowed | {"Unknown"}:
                    out.append(Violation(n.id, "V04", f"`{attr}` lists {nodes[r].type} '{r}'; it may list "
                                         f"only {', '.join(sorted(allowed - COUNTERS))}"))
        for r in n.challenges:
            if r not in nodes:
                out.append(Violation(n.id, "C03", f"`challenges` references '{r}', which is not defined"))
        if n.type in {"Goal", "Strategy"}:
            if n.undeveloped and n.supported_by:
                out.append(Violation(n.id, "V03", "marked undeveloped but has supportedBy"))
            if not n.undeveloped and not n.supported_by:
                out.append(Violation(n.id, "V02", f"leaf {n.type.lower()} has no supporting evidence and is "
                                     "not marked `undeveloped: true`"))
    return out


CYCLE_NAMES = 5
"""Element ids named in a cycle report (the rest are counted)."""


def _cycle_report(case: SafetyCase, start: str, members: set[str]) -> Violation:
    """One violation for a cycle group: a shortest cycle through ``start`` (breadth-first within
    the group), shortened to CYCLE_NAMES ids, and the group's size if it is larger."""
    parent: dict[str, str] = {}
    queue, i, end = [start], 0, start
    while i < len(queue):
        v = queue[i]
        i += 1
        if start in case.nodes[v].supported_by and v != start:
            end = v
            break
        for w in case.nodes[v].supported_by:
            if w in members and w not in parent and w != start:
                parent[w] = v
                queue.append(w)
    path = [end]
    while path[-1] != start:
        path.append(parent[path[-1]])
    path = [*reversed(path), start]
    if len(path) > CYCLE_NAMES + 1:
        path = [*path[:CYCLE_NAMES], f"... ({len(path) - CYCLE_NAMES - 1} more)", start]
    group = f" ({len(members)} elements in this cycle group)" if len(members) > len(set(path)) else ""
    return Violation(start, "C04", "supportedBy cycle: " + " -> ".join(path) + group)


def _cycle_violations(case: SafetyCase) -> list[Violation]:
    """One violation per supportedBy cycle group (strongly connected component, Tarjan's
    algorithm without recursion): linear in elements and links, however many cycles share them."""
    nodes, out = case.nodes, []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    component: list[str] = []
    for start in nodes:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        component.append(start)
        on_stack.add(start)
        path, stack = [start], [iter(nodes[start].supported_by)]
        while stack:
            v = path[-1]
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                path.pop()
                if path:
                    low[path[-1]] = min(low[path[-1]], low[v])
                if low[v] == index[v]:
                    members = []
                    while True:
                        w = component.pop()
                        on_stack.discard(w)
                        members.append(w)
                        if w == v:
                            break
                    if len(members) > 1:
                        out.append(_cycle_report(case, v, set(members)))
            elif child not in nodes or child == v:
                continue  # unresolved (C03) or self-reference (V06): reported by the link checks
            elif child not in index:
                index[child] = low[child] = len(index)
                component.append(child)
                on_stack.add(child)
                path.append(child)
                stack.append(iter(nodes[child].supported_by))
            elif child in on_stack:
                low[v] = min(low[v], index[child])
    return out


def validate(case: SafetyCase) -> list[Violation]:
    """Every violation of gsn2x's rules (see :data:`RULES`), ordered by element."""
    nodes = case.nodes
    out = [*_link_violations(case), *_cycle_violations(case)]
    referenced = {r for n in nodes.values() for r in (*n.supported_by, *n.in_context_of) if r != n.id}
    roots = [nid for nid, n in nodes.items() if nid not in referenced and n.type not in COUNTERS]
    if not nodes:
        out.append(Violation("(top level)", "C01", "the case has no elements"))
    elif len(roots) != 1:
        where = roots[1] if roots else next(iter(nodes))
        out.append(Violation(where, "C01", f"{len(roots)} root elements ({', '.join(roots) or 'none'}); "
                             "exactly one is allowed"))
    for r in roots:
        if nodes[r].type != "Goal":
            out.append(Violation(r, "C02", f"root element is a {nodes[r].type}, not a Goal"))
    challengers = [nid for nid, n in nodes.items() if n.type in COUNTERS and nid not in referenced]
    reached: set[str] = set()
    stack = [*roots[:1], *challengers]
    while stack:
        nid = stack.pop()
        if nid in reached or nid not in nodes:
            continue
        reached.add(nid)
        stack += [*nodes[nid].supported_by, *nodes[nid].in_context_of]
    if len(roots) == 1:
        out += [Violation(nid, "C08", "not reachable from the root") for nid in nodes if nid not in reached]
    order = {nid: i for i, nid in enumerate(nodes)}
    return sorted(out, key=lambda v: (order.get(v.node, -1), v.rule))
