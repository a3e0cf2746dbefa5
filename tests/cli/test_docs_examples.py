"""Every ```console example in README.md and docs/*.md runs as written (issue 13).

The conventions a console block follows:

- a line starting with ``$ `` is a command (a trailing ``\\`` continues it on the next line); it
  runs under bash, in the block's own temporary folder (commands of one block share it, in
  order), where every top-level folder of the repository is linked (``.venv/bin/autosafety``,
  ``docs/examples/...``, ``src/...`` resolve as in a checkout) and ``autosafety`` is this venv's
  console script; ``COLUMNS=80``;
- the lines up to the next command are its output: checked against stdout then stderr, line
  ends' whitespace ignored, a line ``...`` standing for any number of lines; a command shown
  without output is checked for its exit status only;
- the status must be 0, unless the first output line is ``# exit N``;
- a block that cannot run here (a server, the network) is preceded by a line
  ``<!-- not run: REASON -->``; such blocks are listed, and there may be at most
  ``MAX_NOT_RUN`` of them.

The blocks run two at a time (the longest first); ``benchmarks``-style timing is printed with
``pytest -s``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MAX_NOT_RUN = 3
TIMEOUT = 180  # seconds per command
_FENCE = re.compile(r"^(\s*)```(\w*)(.*)$")
_NOT_RUN = re.compile(r"<!--\s*not run:\s*(.+?)\s*-->")
_EXIT = re.compile(r"^# exit (\d+)$")


@dataclass
class Command:
    line: int
    text: str
    output: list[str] = field(default_factory=list)
    status: int = 0


@dataclass
class Block:
    path: Path
    line: int
    commands: list[Command]
    not_run: str = ""

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def parse(path: Path) -> list[Block]:
    """The console blocks of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = len(m.group(1)), m.group(2), i
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith("```"):
            j += 1
        if lang == "console":
            before = lines[start - 1] if start else ""
            reason = _NOT_RUN.search(before)
            body = [(n + 1, ln[indent:] if not ln[:indent].strip() else ln.lstrip())
                    for n, ln in enumerate(lines[start + 1:j], start + 1)]
            blocks.append(Block(path, start + 1, _commands(body),
                                reason.group(1) if reason else ""))
        i = j + 1
    return blocks


def _commands(body: list[tuple[int, str]]) -> list[Command]:
    commands: list[Command] = []
    k = 0
    while k < len(body):
        n, text = body[k]
        if text.startswith("$ "):
            cmd = text[2:]
            while cmd.endswith("\\") and k + 1 < len(body):
                k += 1
                cmd = cmd + "\n" + body[k][1]  # bash reads the backslash-newline
            commands.append(Command(n, cmd))
        elif commands:
            commands[-1].output.append(text)
        k += 1
    for c in commands:
        while c.output and not c.output[-1].strip():
            c.output.pop()
        if c.output and (m := _EXIT.match(c.output[0].strip())):
            c.status = int(m.group(1))
            c.output = c.output[1:]
    return commands


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines fit ``expected``, where a line ``...`` is any number of lines."""
    exp = [x.rstrip() for x in expected]
    act = [x.rstrip() for x in actual]
    while act and not act[-1]:
        act.pop()
    memo: dict[tuple[int, int], bool] = {}

    def fit(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(exp):
                memo[i, j] = j == len(act)
            elif exp[i] == "...":
                memo[i, j] = any(fit(i + 1, k) for k in range(j, len(act) + 1))
            else:
                memo[i, j] = j < len(act) and exp[i] == act[j] and fit(i + 1, j + 1)
        return memo[i, j]

    return fit(0, 0)


BLOCKS = [b for p in DOCS for b in parse(p)]


def _env() -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "COLUMNS": "80", "NO_COLOR": "1", "PYTHONWARNINGS": "ignore"}


def run_block(block: Block, base: Path) -> tuple[list[str], float]:
    """Run a block's commands in order in its own folder; the failures, and the seconds taken."""
    work = base / re.sub(r"[^A-Za-z0-9]+", "-", block.name)
    work.mkdir()
    for entry in ROOT.iterdir():  # folders only: a command writing `x.html` never lands in the repo
        if entry.is_dir() and entry.name != ".git":
            (work / entry.name).symlink_to(entry)
    failures = []
    started = time.perf_counter()
    for c in block.commands:
        try:
            done = subprocess.run(["bash", "-c", c.text], cwd=work, env=_env(), capture_output=True,
                                  text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            failures.append(f"line {c.line}: `{c.text}` took over {TIMEOUT} s")
            break
        out = (done.stdout + done.stderr).splitlines()
        if done.returncode != c.status:
            failures.append(f"line {c.line}: `{c.text}` exited {done.returncode}, not {c.status}:"
                            "\n" + "\n".join(out[-15:]))
        elif c.output and not matches(c.output, out):
            failures.append(f"line {c.line}: `{c.text}` printed\n" + "\n".join(out)
                            + "\n-- but the docs show --\n" + "\n".join(c.output))
    return failures, time.perf_counter() - started


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, tuple[list[str], float]]:
    """Every runnable block, two at a time, slowest-looking (most commands) first."""
    base = tmp_path_factory.mktemp("docs")
    todo = sorted((b for b in BLOCKS if not b.not_run), key=lambda b: -len(b.commands))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip([b.name for b in todo], pool.map(lambda b: run_block(b, base), todo)))
    total = time.perf_counter() - started
    print(f"\n{len(todo)} doc blocks, {sum(len(b.commands) for b in todo)} commands in "
          f"{total:.1f} s")
    for name, (_, seconds) in sorted(done.items(), key=lambda kv: -kv[1][1]):
        print(f"  {seconds:5.1f} s  {name}")
    return done


@pytest.mark.parametrize("block", [b for b in BLOCKS if not b.not_run], ids=lambda b: b.name)
def test_the_example_runs_as_written(block, results):
    failures, _ = results[block.name]
    assert not failures, f"{block.name}:\n" + "\n\n".join(failures)


def test_few_examples_are_left_unrun():
    skipped = [f"{b.name} ({b.not_run})" for b in BLOCKS if b.not_run]
    print("\nnot run:", *skipped, sep="\n  ")
    assert len(skipped) <= MAX_NOT_RUN, skipped
    assert sum(len(b.commands) for b in BLOCKS if not b.not_run) >= 30  # the parser finds them


def test_the_conventions():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d  "])
    assert matches(["a", "..."], ["a"]) and not matches(["a", "c"], ["a", "b", "c"])
    (c,) = _commands([(1, "$ autosafety validate x \\"), (2, "  --model y"), (3, "# exit 2"),
                      (4, "error: ..."), (5, "")])
    assert c.text == "autosafety validate x \\\n  --model y" and c.status == 2
    assert c.output == ["error: ..."]


def test_the_venv_console_script_is_the_one_run():
    assert shutil.which("autosafety", path=_env()["PATH"]) == str(
        Path(sys.executable).with_name("autosafety"))
