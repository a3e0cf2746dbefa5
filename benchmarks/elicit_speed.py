"""Elicitation speed against a local OpenAI-compatible server that answers at once.

Run: .venv/bin/python benchmarks/elicit_speed.py [--rounds N]
Targets (issue 5): 1,000 ratings with 50 in flight within 1.2x of a bare loop of Inspect
`generate` calls making the same requests (same messages, same config, same concurrency), in the
same run; a fully cached re-run of the same 1,000 ratings under 2 s (in-process and as a fresh
`autosafety elicit` process).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "tests" / "elicit" / "openai_server.py"
LLM = "openai-api/bench/rater"
FACTORS = ["task_length", "insight_vs_engineering", "data_availability", "feedback_quality",
           "compute_vs_labour"]
SAMPLES = 20  # 10 areas x 5 factors x 20 samples = 1,000 requests
CONCURRENCY = 50


def start_server(log: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, str(SERVER), "--port", "0", "--log", str(log)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline().split()[1])
    os.environ["BENCH_API_KEY"] = "bench"
    os.environ["BENCH_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
    return proc


async def bare_loop(requests: list) -> float:  # type: ignore[type-arg]
    """The peer: Inspect generate calls for the same messages, 50 in flight, nothing else."""
    from inspect_ai.model import ChatMessageSystem, ChatMessageUser, get_model

    from autosafety.elicit._run import _config

    model = get_model(LLM, memoize=False)
    config = _config(concurrency=CONCURRENCY, temperature=None, max_tokens=400, structured=True)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(req) -> str:  # type: ignore[no-untyped-def]
        async with gate:
            out = await model.generate([ChatMessageSystem(content=req.system),
                                        ChatMessageUser(content=req.user)], config=config)
            return out.completion

    start = time.perf_counter()
    answers = await asyncio.gather(*(one(r) for r in requests))
    assert len(answers) == len(requests)
    return time.perf_counter() - start


def ours(model, cache: Path) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """autosafety: plan, run (parse, provenance, cache writes), collect ratings, write the CSV."""
    from autosafety.elicit import elicit
    from autosafety.model import ratings_to_csv

    start = time.perf_counter()
    report = elicit(model, llms=[LLM], samples=SAMPLES, factors=FACTORS, cache=cache,
                    concurrency=CONCURRENCY)
    (cache.parent / "ratings.csv").write_text(ratings_to_csv(report.ratings))
    assert report.complete, report.failures[:3]
    return time.perf_counter() - start, len(report.ratings)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    rounds = ap.parse_args().rounds
    from autosafety.elicit import plan_requests
    from autosafety.model import load_model

    model = load_model("wehner-2026")
    requests = plan_requests(model, llms=[LLM], samples=SAMPLES, factors=FACTORS)
    tmp = Path(tempfile.mkdtemp(prefix="elicit-bench-"))
    server = start_server(tmp / "calls.log")
    try:
        asyncio.run(bare_loop(requests[:50]))  # warm up the server and imports
        bare, mine = [], []
        for i in range(rounds):  # interleaved so both see the same machine load
            bare.append(asyncio.run(bare_loop(requests)))
            seconds, n = ours(model, tmp / f"cache-{i}.sqlite")
            mine.append(seconds)
        print(f"requests per run: {len(requests)} ({n} ratings), {CONCURRENCY} in flight")
        print(f"bare Inspect generate loop: median {statistics.median(bare):.2f} s "
              f"(runs: {', '.join(f'{x:.2f}' for x in bare)})")
        print(f"autosafety elicit:          median {statistics.median(mine):.2f} s "
              f"(runs: {', '.join(f'{x:.2f}' for x in mine)})")
        ratio = statistics.median(mine) / statistics.median(bare)
        print(f"ratio autosafety / bare: {ratio:.2f}x (target <= 1.2x)")

        cached = []
        for _ in range(3):
            seconds, _ = ours(model, tmp / "cache-0.sqlite")
            cached.append(seconds)
        print(f"fully cached re-run, in-process: median {statistics.median(cached):.3f} s "
              "(target < 2 s)")
        cmd = [str(Path(sys.executable).with_name("autosafety")), "elicit", "wehner-2026",
               "--llm", LLM, "--samples", str(SAMPLES), "--factors", ",".join(FACTORS),
               "--out", str(tmp / "cli.csv"), "--cache", str(tmp / "cache-0.sqlite"), "--quiet"]
        cli = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            cli.append(time.perf_counter() - start)
        print(f"fully cached re-run, fresh `autosafety elicit` process: median "
              f"{statistics.median(cli):.3f} s (target < 2 s)")
        served = len((tmp / "calls.log").read_text().split())
        print(f"answers served in total: {served} (= 50 warm-up + {rounds} x 2 x {len(requests)})")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
