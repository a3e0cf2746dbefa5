"""Confidence in an argument, after Bloomfield and Rushby, "Quantifying Confidence in Assurance
2.0 Arguments" (arXiv 2604.00034): bounds [lower, upper] propagated up by decomposition type.

Each goal or strategy declares ``decomposition`` (a layer attribute gsn2x keeps):

- ``conjunctive`` (default): all subclaims are needed. Bounds without any independence
  assumption are Fréchet's, [max(0, sum lo - (n - 1)), min hi]; under independence, the product.
- ``alternative`` (diverse legs): one suffices. Bounds [max lo, min(1, sum hi)]; under
  independence the complement product 1 - prod(1 - p).
- ``partitioned``: subclaims cover disjoint cases with ``share`` (default equal): the sum of
  share x confidence.

Undeveloped goals and evidence without a confidence are unknown, [0, 1], never a number. A counter
goal or counter solution that is not `defeated` lowers what it challenges to P(claim and not
defeater): Fréchet [max(0, lo - d.hi), min(hi, 1 - d.lo)]; an element marked `defeated` is [0, 0].
A claim's state (supported, challenged, unknown) is its subclaims' worst, except under
``alternative``, where it is their best: one leg suffices, so a further leg never worsens it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import InputError, Problem
from ._evidence import CERTAIN, UNKNOWN, Evidence, Interval, evidence_of
from ._gsn import COUNTERS, SafetyCase, challenge_parts

DECOMPOSITIONS = ("conjunctive", "alternative", "partitioned")
STATES = ("supported", "challenged", "unknown")
REGISTER_COSTED = 100
"""Residual doubts whose cost is computed (each re-propagates the argument once)."""


@dataclass(frozen=True)
class NodeConfidence:
    """One element's confidence: sound bounds, the estimate under independence, and its state."""

    bounds: Interval
    independent: Interval
    state: str
    source: str = ""


@dataclass(frozen=True)
class Doubt:
    """A residual doubt: what it is, and how much of the top claim's lower bound it costs."""

    node: str
    kind: str
    text: str
    cost: float | None
    cost_independent: float | None
    worry: str = ""


@dataclass
class Confidence:
    """Confidence of every argued element, the top claim, and the residual-doubt register."""

    nodes: dict[str, NodeConfidence]
    top: str
    register: list[Doubt] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "top": self.top,
            "top_confidence": _node_dict(self.nodes[self.top]) if self.top else None,
            "nodes": {k: _node_dict(v) for k, v in self.nodes.items()},
            "register": [
                {
                    "node": d.node,
                    "kind": d.kind,
                    "text": d.text,
                    "worry": d.worry,
                    "cost": _round(d.cost),
                    "cost_independent": _round(d.cost_independent),
                }
                for d in self.register
            ],
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _node_dict(n: NodeConfidence) -> dict[str, Any]:
    return {
        "bounds": n.bounds.as_list(),
        "independent": n.independent.as_list(),
        "state": n.state,
        "source": n.source,
    }


def _combine(kind: str, parts: list[tuple[Interval, Interval, float]]) -> tuple[Interval, Interval]:
    """(bounds, independent) from children's (bounds, independent, share)."""
    if kind == "partitioned":
        lo = sum(s * b.lo for b, _, s in parts)
        hi = sum(s * b.hi for b, _, s in parts)
        ilo = sum(s * i.lo for _, i, s in parts)
        ihi = sum(s * i.hi for _, i, s in parts)
        return Interval(lo, min(1.0, hi)), Interval(ilo, min(1.0, ihi))
    if kind == "alternative":
        b = Interval(max(p.lo for p, _, _ in parts), min(1.0, sum(p.hi for p, _, _ in parts)))
        return b, Interval(
            1 - math.prod(1 - i.lo for _, i, _ in parts), 1 - math.prod(1 - i.hi for _, i, _ in parts)
        )
    hi = min(p.hi for p, _, _ in parts)
    b = Interval(min(hi, max(0.0, math.fsum(p.lo for p, _, _ in parts) - (len(parts) - 1))), hi)
    return b, Interval(math.prod(i.lo for _, i, _ in parts), math.prod(i.hi for _, i, _ in parts))


def _state(kind: str, states: set[str]) -> str:
    """The state of a claim from its subclaims': the worst when every subclaim is needed, but for
    diverse legs (one suffices) the best, so that an unassessed or challenged further leg does not
    turn a claim another leg carries into "unknown" or "challenged" (adding evidence never makes
    the verdict worse)."""
    order = ("supported", "challenged", "unknown") if kind == "alternative" else ("challenged", "unknown")
    return next((s for s in order if s in states), "supported")


def _defeat(x: NodeConfidence, d: NodeConfidence) -> NodeConfidence:
    """P(x and not d): Fréchet bounds, and the product under independence."""
    b = Interval(max(0.0, x.bounds.lo - d.bounds.hi), min(x.bounds.hi, 1 - d.bounds.lo))
    i = Interval(x.independent.lo * (1 - d.independent.hi), x.independent.hi * (1 - d.independent.lo))
    return NodeConfidence(b, i, "challenged", x.source)


def _settings(
    case: SafetyCase, origin: str, base: Path | None
) -> tuple[dict[str, str], dict[str, float], dict[str, Evidence]]:
    """Decomposition per element, partition shares, and stated evidence; every bad value located."""
    kinds, shares, evidence, problems = {}, {}, {}, []
    for nid, n in case.nodes.items():
        where = f"{origin}: {nid}"
        kind = n.attrs.get("decomposition", "conjunctive")
        if kind not in DECOMPOSITIONS:
            problems.append(
                Problem(
                    f"{where}.decomposition",
                    f"unknown decomposition type {str(kind)[:40]!r}",
                    "use " + ", ".join(DECOMPOSITIONS),
                )
            )
        kinds[nid] = kind
        if "share" in n.attrs:
            s = n.attrs["share"]
            if not (isinstance(s, (int, float)) and not isinstance(s, bool) and 0 < s <= 1):
                problems.append(
                    Problem(
                        f"{where}.share",
                        f"share {str(s)[:20]} is not in (0, 1]",
                        "give each case of a partition its probability",
                    )
                )
            else:
                shares[nid] = float(s)
        if "confidence" in n.attrs:
            try:
                evidence[nid] = evidence_of(n.attrs["confidence"], where=f"{where}.confidence", base=base)
            except InputError as e:
                problems += e.problems
    for nid, n in case.nodes.items():
        if kinds.get(nid) == "partitioned" and n.supported_by:
            given = [shares[c] for c in n.supported_by if c in shares]
            if given and (len(given) != len(n.supported_by) or abs(sum(given) - 1) > 1e-6):
                problems.append(
                    Problem(
                        f"{origin}: {nid}.supportedBy",
                        f"the shares of a partition sum to 1 "
                        f"(here {sum(given):g} over {len(given)} of {len(n.supported_by)} cases)",
                        "give every case a `share`, summing to 1, or none (equal shares)",
                    )
                )
    if problems:
        raise InputError(problems, title=f"{origin}: bad confidence data")
    return kinds, shares, evidence


def propagate(
    case: SafetyCase,
    *,
    origin: str = "case",
    base: Path | None = None,
    resolved: frozenset[str] = frozenset(),
) -> Confidence:
    """Confidence of every goal, strategy and solution; ``resolved`` elements are taken as
    certain (defeaters in it as refuted), which is how the register prices each doubt."""
    kinds, shares, evidence = _settings(case, origin, base)
    return _propagate(case, kinds, shares, evidence, resolved)


def _propagate(
    case: SafetyCase,
    kinds: dict[str, str],
    shares: dict[str, float],
    evidence: dict[str, Evidence],
    resolved: frozenset[str],
) -> Confidence:
    nodes = case.nodes
    challengers: dict[str, list[tuple[str, str | None]]] = {}
    for nid, n in nodes.items():
        if n.challenges and not n.defeated and nid not in resolved:
            left, right = challenge_parts(n.challenges)
            challengers.setdefault(left, []).append((nid, right))
    out: dict[str, NodeConfidence] = {}
    state: dict[str, int] = {}
    for start in nodes:
        stack = [start]
        while stack:
            nid = stack[-1]
            if nid in out or nid not in nodes:
                stack.pop()
                continue
            deps = [c for c in nodes[nid].supported_by if c in nodes] + [
                c for c, _ in challengers.get(nid, [])
            ]
            todo = [c for c in deps if c not in out and state.get(c) != 1]
            if state.get(nid) != 1 and todo:
                state[nid] = 1
                stack += todo
                continue
            stack.pop()
            out[nid] = _value(case, nid, kinds, shares, evidence, resolved, challengers, out)
            state[nid] = 2
    argued = {
        k: out[k]
        for k, n in nodes.items()
        if k in out and n.type not in ("Context", "Assumption", "Justification")
    }
    referenced = {r for n in nodes.values() for r in n.supported_by}
    tops = [k for k, n in nodes.items() if k not in referenced and n.type == "Goal"]
    return Confidence(argued, tops[0] if tops else "")


def _value(
    case: SafetyCase,
    nid: str,
    kinds: dict[str, str],
    shares: dict[str, float],
    evidence: dict[str, Evidence],
    resolved: frozenset[str],
    challengers: dict[str, list[tuple[str, str | None]]],
    out: dict[str, NodeConfidence],
) -> NodeConfidence:
    n = case.nodes[nid]
    if n.defeated and nid not in resolved:
        return NodeConfidence(Interval(0, 0), Interval(0, 0), "challenged", "defeated")
    kids = [c for c in n.supported_by if c in out]
    if nid in resolved:
        value = NodeConfidence(CERTAIN, CERTAIN, "supported", "resolved")
    elif nid in evidence:
        e = evidence[nid]
        value = NodeConfidence(e.interval, e.interval, "supported", e.source)
    elif n.undeveloped or not kids:
        value = NodeConfidence(UNKNOWN, UNKNOWN, "unknown", "undeveloped" if n.undeveloped else "no evidence")
    else:
        on_relation = {
            right: out[c] for c, right in challengers.get(nid, []) if right is not None and c in out
        }
        parts, states = [], set()
        for k in kids:
            v = _defeat(out[k], on_relation[k]) if k in on_relation else out[k]
            parts.append((v.bounds, v.independent, shares.get(k, 1 / len(kids))))
            states.add(v.state)
        kind = kinds.get(nid, "conjunctive")
        b, i = _combine(kind, parts)
        value = NodeConfidence(b, i, _state(kind, states), kind)
    for c, right in challengers.get(nid, []):
        if right is None and c in out:
            value = _defeat(value, out[c])
    return value


def residual_doubts(
    case: SafetyCase, *, origin: str = "case", base: Path | None = None, worries: dict[str, str] | None = None
) -> Confidence:
    """Confidence with its register: every undeveloped goal, evidence without a confidence and
    unrefuted defeater, ranked (open worries first) by what it costs the top claim's lower bound:
    the top claim with everything else resolved, minus with this one left as it is."""
    kinds, shares, evidence = _settings(case, origin, base)
    conf = _propagate(case, kinds, shares, evidence, frozenset())
    worry_of = (
        worries
        if worries is not None
        else {k: str(n.attrs.get("worry", "")) for k, n in case.nodes.items() if n.attrs.get("worry")}
    )
    items: list[tuple[str, str]] = []
    for nid, n in case.nodes.items():
        if n.type in COUNTERS and n.challenges and not n.defeated:
            items.append((nid, "unrefuted defeater"))
        elif n.type in ("Goal", "Strategy") and n.undeveloped:
            items.append((nid, "open worry" if nid in worry_of else "undeveloped"))
        elif n.type == "Solution" and nid not in evidence:
            items.append((nid, "evidence without confidence"))
    all_ids = frozenset(i for i, _ in items)
    top = conf.top
    ideal = _propagate(case, kinds, shares, evidence, all_ids).nodes.get(top) if top else None
    register = []
    for idx, (nid, kind) in enumerate(items):
        cost = cost_i = None
        if ideal is not None and idx < REGISTER_COSTED:
            left = _propagate(case, kinds, shares, evidence, all_ids - {nid}).nodes[top]
            cost, cost_i = ideal.bounds.lo - left.bounds.lo, ideal.independent.lo - left.independent.lo
        register.append(Doubt(nid, kind, case.nodes[nid].text, cost, cost_i, worry_of.get(nid, "")))
    register.sort(key=lambda d: (d.kind != "open worry", -(d.cost or 0), -(d.cost_independent or 0)))
    conf.register = register
    return conf
