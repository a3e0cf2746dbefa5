"""gsn2x's checks, in gsn2x's order and with its stopping points (its src/main.rs, gsn.rs,
gsn/validation.rs and gsn/check.rs, release 4.3): the same errors, warnings and wording.

Order: elements of all modules are gathered (C07 stops a module's remaining elements); no
elements or an empty module is an error; each module (by name) is validated (V01-V13; the first
module with an error stops the run); `extends` are applied (C09, C10); then over the whole
argument: unresolved references (C03, C11, C12-C16; the first element with one stops), top-level
elements (C01, C02), the first supportedBy cycle (C04), reachability (C08), and `--layer` names.
Everything is linear in elements and links; gsn2x's own cycle search (which follows every path)
is only run once a cycle is known to exist, with a step budget.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ._gsn import CONTEXTS, COUNTERS, KNOWN_ATTRS, Node, SafetyCase, Violation, challenge_parts, type_of

_SUPPORT = {"Goal", "CounterGoal", "Solution", "CounterSolution", "Strategy"}
_ARGUING = {"Goal", "Strategy"}
CYCLE_STEPS = 200_000
"""Steps of gsn2x's path-following cycle search before our linear search names the cycle."""


class _Run:
    """The gathered argument and the diagnostics so far."""

    def __init__(self) -> None:
        self.out: list[Violation] = []
        self.nodes: dict[str, Node] = {}
        self.owner: dict[str, str] = {}
        self.ty: dict[str, str | None] = {}
        self.sup: dict[str, list[str]] = {}
        self.ctx: dict[str, list[str]] = {}
        self.undeveloped: dict[str, bool] = {}

    def error(self, module: str | None, rule: str, message: str, node: str = "") -> None:
        self.out.append(Violation(node, rule, message, "error", module))

    def warn(self, module: str | None, rule: str, message: str, node: str = "") -> None:
        self.out.append(Violation(node, rule, message, "warning", module))

    def errors(self) -> int:
        return sum(v.severity == "error" for v in self.out)


def check(modules: Sequence[SafetyCase], *, excluded: Iterable[str] = (), layers: Iterable[str] = (),
          extended_check: bool = False, warn_dialectic: bool = False) -> list[Violation]:
    """gsn2x's diagnostics for modules in reading order (command line, then `uses` rounds)."""
    run, mods = _Run(), dict[str, SafetyCase]()
    for m in modules:
        if m.name in mods:
            prev = mods[m.name]
            run.error(m.name, "C06", f"Module in {m.path or m.name} was already present in "
                      f"{prev.path or prev.name} provided by {prev.provided_by}.")
            return run.out
        mods[m.name] = m
        for nid in sorted(m.nodes):
            if nid in run.nodes:
                run.error(m.name, "C07", f"Element {nid} in {m.path or m.name} was already present in "
                          f"{run.owner[nid]}.", nid)
                break
            n = run.nodes[nid] = m.nodes[nid]
            run.owner[nid] = m.name
            run.ty[nid] = type_of(nid, n.node_type)
            run.sup[nid] = sorted(n.supported_by)
            run.ctx[nid] = sorted(n.in_context_of)
            run.undeveloped[nid] = n.undeveloped
    if not run.nodes:
        run.error(None, "", "No input elements are found.")
        return run.out
    members: dict[str, list[str]] = defaultdict(list)
    for nid in sorted(run.nodes):
        members[run.owner[nid]].append(nid)
    empty = [name for name in sorted(mods) if not members[name]]
    for name in empty:
        run.error(name, "", "The module does not contain elements.")
    if empty:
        return run.out
    for name in sorted(mods):
        if not _validate_module(run, mods[name], members[name], extended_check, warn_dialectic):
            return run.out
    if _extend(run, mods) and _check_nodes(run, set(excluded)):
        _check_layers(run, list(layers))
    return run.out


def _validate_module(run: _Run, module: SafetyCase, ids: list[str], extended: bool,
                     warn_dialectic: bool) -> bool:
    name, before = module.name, run.errors()
    challenged = {c for c in (n.challenges for n in run.nodes.values())
                  if c and challenge_parts(c)[1] is None}
    for nid in ids:
        n, t = run.nodes[nid], run.ty[nid]
        if t is None:
            run.error(name, "V01", f"Element {nid} is of unknown type. Please see documentation for "
                      "supported types", nid)
        if extended and n.node_type and (by_id := type_of(nid)) and t and by_id != t:
            run.warn(name, "V08", f"Element {nid} has type {t}, but ID indicates type {by_id}", nid)
        if run.ctx[nid]:
            _references(run, name, nid, run.ctx[nid], "context", CONTEXTS if t in _ARGUING else set())
        if run.sup[nid]:
            valid = _SUPPORT if t in _ARGUING else COUNTERS if t == "CounterGoal" else set()
            _references(run, name, nid, run.sup[nid], "supported by element", valid)
            if n.undeveloped:
                run.error(name, "V03", f"Undeveloped element {nid} has supporting arguments.", nid)
        elif t in _ARGUING and not n.undeveloped:
            run.warn(name, "V02", f"Element {nid} is undeveloped.", nid)
        if n.challenges and t not in COUNTERS:
            run.error(name, "V12", f"{nid} is not a CounterGoal nor CounterSolution but challenges another "
                      "element or relation.", nid)
        acp = n.attrs.get("acp") or {}
        if acp:
            near = {nid, *(r for r in run.sup[nid] + run.ctx[nid] if r in run.nodes)}
            for point in sorted(acp):
                for r in [acp[point]] if isinstance(acp[point], str) else acp[point]:
                    if r not in near:
                        run.error(name, "V09", f"Element {nid} has an assurance claim point {point} that "
                                  f"references {r}, but this is neither its own ID nor any of the connected "
                                  "elements.", nid)
        if n.defeated and nid not in challenged:
            run.error(name, "V10", f"Element {nid} is marked as defeated, but no other element "
                      "challenges it.", nid)
        for rel in n.defeated_relation:
            if not (rel in run.sup[nid] or rel in run.ctx[nid] or (n.challenges == rel and "->" not in rel)):
                run.error(name, "V13", f"Relation from {nid} to {rel} is marked as defeated, but "
                          f"{nid} has no relation to {rel}.", nid)
                break
    if run.errors() > before:
        return False
    own = set(ids)
    for foreign_module, develops in module.extends:
        for foreign in sorted(develops):
            for local in develops[foreign]:
                if not local.startswith(("Sn", "S", "G")):
                    run.error(name, "V07", f"Element {local} is of wrong type. Only Strategies, Goals and "
                              "Solutions can develop other Goals and Strategies.", local)
                elif local not in own:
                    run.error(name, "V07", f"Element {local} in module {name} supposed to develop "
                                           f"{foreign} in "
                              f"module {foreign_module} does not exist.", local)
    if run.errors() > before:
        return False
    if warn_dialectic:
        counters = [i for i in sorted(run.nodes) if run.ty[i] in COUNTERS]
        if counters:
            run.warn(name, "V11", "Dialectic extension is used. See elements: " + ", ".join(counters))
    return True


def _references(run: _Run, module: str, nid: str, refs: list[str], what: str, valid: set[str]) -> None:
    seen: set[str] = set()
    for r in refs:
        if r == nid:
            run.error(module, "V06", f"Element {nid} references itself in {what}.", nid)
        if r in seen:
            run.warn(module, "V05", f"Element {nid} has duplicate entry {r} in {what}.", nid)
        seen.add(r)
        if not valid or (r in run.nodes and run.ty[r] not in valid):
            run.error(module, "V04", f"Element {nid} has invalid type of reference {r} in {what}.", nid)


def _extend(run: _Run, mods: dict[str, SafetyCase]) -> bool:
    before = run.errors()
    for name in sorted(mods):
        for foreign_module, develops in mods[name].extends:
            if foreign_module not in mods:
                run.error(name, "C09", f"Module {foreign_module} is not found, but is supposed to be "
                                       f"extended "
                          f"by module {name}.")
            for foreign in sorted(develops):
                by = ",".join(develops[foreign])
                if foreign not in run.nodes:
                    run.error(name, "C10", f"Element {foreign} does not exist, but is supposed to be "
                                           f"extended "
                              f"by {by}.", foreign)
                elif run.owner[foreign] != foreign_module:
                    run.error(name, "C10", f"Element {foreign} does not exist in module "
                                           f"{foreign_module}, but is "
                              f"supposed to be extended by {by}.", foreign)
                elif not run.undeveloped[foreign]:
                    run.error(name, "C10", f"Element {foreign} is not undeveloped, but is supposed to be "
                              f"extended by {by}.", foreign)
                else:
                    run.sup[foreign], run.undeveloped[foreign] = list(develops[foreign]), False
    return run.errors() == before


def _check_nodes(run: _Run, excluded: set[str]) -> bool:
    nodes = run.nodes
    for nid in sorted(nodes):
        module = run.owner[nid]
        if module in excluded:
            continue
        bad = False
        for what, refs in (("in context of", run.ctx[nid]), ("supported by", run.sup[nid])):
            for r in refs:
                if r not in nodes:
                    run.error(module, "C03", f'Element {nid} has unresolved "{what}" element: {r}', nid)
                    if "," in r:
                        run.warn(module, "C11", f'Unresolved "{what}" element of {nid} may be actually '
                                 f"a list: {r}. Try writing [{r}] instead.", nid)
                    bad = True
                    break
        bad = _check_challenge(run, module, nid) or bad
        if bad:
            return False
    referenced = {r for i in nodes for r in (*run.ctx[i], *run.sup[i])}
    roots = sorted(i for i in nodes if i not in referenced and not nodes[i].challenges)
    if len(roots) > 1:
        run.warn(None, "C01", f"There is more than one unreferenced element: {', '.join(roots)}.")
    elif len(roots) == 1 and run.ty[roots[0]] != "Goal":
        run.error(None, "C02", f"The root element should be a goal, but {roots[0]} was found.", roots[0])
        return False
    elif not roots:
        run.error(None, "C01", "There are no unreferenced elements found.")
        return False
    cycle = _first_cycle(run, roots)
    if cycle:
        at, ring = cycle
        run.error(None, "C04", f"Cycle detected at element {at}. Cycle is {' -> '.join(ring)}.", at)
        return False
    unvisited = _unreachable(run, roots)
    if unvisited:
        run.error(None, "C08", f"The following element(s) are not reachable from the root element(s) "
                  f"({', '.join(roots)}): {', '.join(unvisited)}")
        return False
    return True


def _check_challenge(run: _Run, module: str, nid: str) -> bool:
    value = run.nodes[nid].challenges
    if not value:
        return False
    left, right = challenge_parts(value)
    if right is None:
        if left == nid:
            run.error(module, "C13", f"Element {nid} challenges itself.", nid)
        elif left not in run.nodes:
            run.error(module, "C14", f"Element {nid} challenges element {left}, but it does not exist.", nid)
        else:
            return False
        return True
    if left == right:
        run.error(module, "C15", f"Element {nid} challenges a relation with both ends pointing to "
                  f"{left}.", nid)
    elif left not in run.nodes or right not in run.nodes:
        gone = left if left not in run.nodes else right
        run.error(module, "C12", f"Element {nid} challenges a relation, but element {gone} of the "
                                 f"relation does "
                  "not exist.", nid)
    elif not (left in _relations(run, right) or right in _relations(run, left)):
        run.error(module, "C16", f"Element {nid} challenges a relation, but the referenced elements "
                                 f"{right} and "
                  f"{left} do not have a relation.", nid)
    else:
        return False
    return True


def _relations(run: _Run, nid: str) -> list[str]:
    c = run.nodes[nid].challenges
    parts = [p for p in challenge_parts(c) if p is not None] if c else []
    return [*run.sup[nid], *run.ctx[nid], *parts]


def _first_cycle(run: _Run, roots: list[str]) -> tuple[str, list[str]] | None:
    """gsn2x's first supportedBy cycle from the roots, if there is one (found linearly first)."""
    sup, nodes = run.sup, run.nodes
    colour: dict[str, int] = {}
    found: list[str] | None = None
    for root in roots:
        if root in colour:
            continue
        colour[root], path, stack = 1, [root], [iter(sup[root])]
        while stack and found is None:
            child = next(stack[-1], None)
            if child is None:
                colour[path.pop()] = 2
                stack.pop()
            elif child in nodes and colour.get(child) == 1:
                found = [*path[path.index(child):], child]
            elif child in nodes and child not in colour:
                colour[child] = 1
                path.append(child)
                stack.append(iter(sup[child]))
        if found:
            break
    if found is None:
        return None
    return _gsn2x_cycle(run, roots) or (found[-2], found)


def _gsn2x_cycle(run: _Run, roots: list[str]) -> tuple[str, list[str]] | None:
    """gsn2x's DirectedGraph::get_first_cycle, step for step (it follows every path)."""
    sup = run.sup

    def children(n: str) -> list[str]:
        return sup.get(n, [])

    stack = [(n, 0) for n in roots]
    ancestors: list[str] = []
    count: dict[str, int] = defaultdict(int)  # membership of `ancestors` in O(1)
    depth = steps = 0
    while stack and steps < CYCLE_STEPS:
        steps += 1
        p, rdepth = stack.pop()
        if rdepth < depth:
            for gone in ancestors[rdepth:]:
                count[gone] -= 1
            del ancestors[rdepth:]
            depth = rdepth
        kids = children(p)
        if any(children(x) for x in kids):
            depth += 1
            ancestors.append(p)
            count[p] += 1
        for child in kids:
            if children(child):
                if count[child]:
                    last = len(ancestors) - 1 - ancestors[::-1].index(child)
                    return p, [child, *ancestors[last + 1:], child]
                stack.append((child, depth))
    return None


def _unreachable(run: _Run, roots: list[str]) -> list[str]:
    """Elements gsn2x's ranking does not place: from the roots along supportedBy, challengers of
    placed elements, and inContextOf (whose targets are placed but not followed further)."""
    challengers: dict[str, list[str]] = defaultdict(list)
    for nid, n in run.nodes.items():
        if n.challenges:
            challengers[challenge_parts(n.challenges)[0]].append(nid)
    reached: set[str] = set()
    todo = list(roots)
    while todo:
        nid = todo.pop()
        if nid in reached or nid not in run.nodes:
            continue
        reached.add(nid)
        todo += challengers.get(nid, ())
        todo += run.sup[nid]
        reached.update(c for c in run.ctx[nid] if c in run.nodes)
    return [nid for nid in sorted(run.nodes) if nid not in reached]


def _check_layers(run: _Run, layers: list[str]) -> None:
    for layer in layers:
        if layer in KNOWN_ATTRS:
            run.error(None, "", f"{layer} is a reserved attribute and cannot be used as layer.")
        elif not any(layer in n.attrs for n in run.nodes.values()):
            run.warn(None, "", f"Layer {layer} is not used in file. No additional output will be generated.")
