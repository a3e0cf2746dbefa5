"""Speed of the schemes tool: assess + build the case per built-in example, each output format,
and gsn2x-rule validation of large generated cases (linear in elements). Beside each size, a plain
Python dict walk over as many elements (one lookup per reference): the time per element of any
single pass grows once the elements outgrow the CPU's caches, and the walk shows by how much.

Run: .venv/bin/python benchmarks/schemes_speed.py
"""

from __future__ import annotations

import time

from autosafety.schemes import (
    EXAMPLES,
    assess_and_build,
    case_from_data,
    load_scheme,
    propagate,
    render,
    validate,
)


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def wide_case(n: int) -> dict:
    """A root goal, one strategy, n goals each supported by one solution (2n + 2 elements)."""
    data = {"G0": {"text": "root", "supportedBy": ["S0"]},
            "S0": {"text": "over items", "supportedBy": [f"G{i}" for i in range(1, n + 1)]}}
    for i in range(1, n + 1):
        data[f"G{i}"] = {"text": f"claim {i}", "supportedBy": [f"Sn{i}"], "inContextOf": [f"C{i}"]}
        data[f"Sn{i}"] = {"text": f"evidence {i}", "confidence": 0.999}
        data[f"C{i}"] = {"text": f"context {i}"}
    return data


def dict_walk(n: int) -> float:
    """Seconds for one pass over n elements in sorted order, following one reference each."""
    keys = [f"G{i}" for i in range(n)]
    nodes = {k: {"refs": [keys[(i * 7919) % n]], "type": "Goal"} for i, k in enumerate(keys)}

    def one_pass() -> int:
        return sum(1 for k in sorted(nodes) for r in nodes[k]["refs"]
                   if r in nodes and nodes[r]["type"] == "Goal")

    return best_of(one_pass, repeat=3)


def main() -> None:
    schemes = {name: load_scheme(name) for name in EXAMPLES}
    total = best_of(lambda: [assess_and_build(s) for s in schemes.values()])
    print(f"assess + build case, all {len(EXAMPLES)} examples: {total * 1e3:.2f} ms "
          f"({total / len(EXAMPLES) * 1e3:.2f} ms per scheme)")
    a, case = assess_and_build(schemes["ai-explores-oversight"])
    for fmt in ("yaml", "dot", "mermaid", "md", "json", "svg"):
        t = best_of(lambda fmt=fmt: render(a, case, fmt), repeat=3 if fmt == "svg" else 5)
        print(f"render {fmt:8s} ({len(case.nodes)} elements): {t * 1e3:8.2f} ms")
    for n in (1_000, 10_000, 50_000):
        c, _ = case_from_data(wide_case(n))
        walk = dict_walk(len(c.nodes))
        print(f"reference: a plain dict walk over {len(c.nodes):7d} elements: "
              f"{walk / len(c.nodes) * 1e6:.2f} us per element")
        t = best_of(lambda c=c: validate(c), repeat=3)
        print(f"validate {len(c.nodes):7d} elements: {t * 1e3:8.1f} ms "
              f"({t / len(c.nodes) * 1e6:.2f} us per element)")
        t = best_of(lambda c=c: (validate(c), propagate(c)), repeat=3)
        print(f"validate + propagate confidence {len(c.nodes):7d} elements: {t * 1e3:8.1f} ms "
              f"({t / len(c.nodes) * 1e6:.2f} us per element)")


if __name__ == "__main__":
    main()
