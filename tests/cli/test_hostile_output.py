"""Issue 15 items 4 and 8: names are data, printed literally: no Rich markup, no terminal escapes."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

NAMES = {"markup": "[/bold]", "style": "[bold red]x[/bold red]", "emoji": ":warning:",
         "link": "[link=http://evil]y[/link]"}


def model(name_area: str, category: str = "safety", title: str = "T") -> str:
    return yaml.safe_dump({
        "id": "m", "name": title, "factors": [{"id": "f", "name": name_area}],
        "areas": [{"id": "a", "name": name_area, "category": category},
                  {"id": "b", "name": "plain", "category": "capabilities"}],
        "raters": [{"id": "r", "description": name_area}],
        "ratings": [{"area": "a", "factor": "f", "rater": "r", "value": 7},
                    {"area": "b", "factor": "f", "rater": "r", "value": 3}]})


@pytest.mark.parametrize("name", list(NAMES.values()), ids=list(NAMES))
@pytest.mark.parametrize("command", ["score", "show"])
def test_markup_in_names_is_printed_literally(cli, tmp_path, name, command):
    path = tmp_path / "m.yaml"
    path.write_text(model(name, category=name, title=name))
    run = cli(command, str(path))
    assert run.code == 0, run.err
    assert name in run.out  # exactly as written, brackets and colons included
    assert "\u26a0" not in run.out  # :warning: not turned into an emoji


ESCAPES = {"csi": "\x1b[31mred\x1b[0m", "osc-title": "\x1b]0;pwned\x07", "cr": "ok\rEVIL",
           "bidi": "abc\u202edcba", "c1": "x\x9by"}


@pytest.mark.parametrize("name", list(ESCAPES.values()), ids=list(ESCAPES))
@pytest.mark.parametrize("command", ["score", "show"])
def test_control_characters_in_names_are_shown_escaped(tmp_path, name, command):
    path = tmp_path / "m.yaml"
    path.write_text(model(name, category=name, title=name), encoding="utf-8")
    # a real process writing to a pipe, as a terminal would receive it
    run = subprocess.run([sys.executable, "-c", "from autosafety.cli import main; main()",
                          command, str(path)], capture_output=True, timeout=120,
                         env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode("utf-8")
    for ch in "\x1b\x07\r\u202e\x9b":
        assert ch not in out
    shown = name.encode("unicode_escape").decode("ascii")
    assert shown in out  # e.g. the text \x1b[31mred\x1b[0m


def test_an_error_naming_hostile_text_escapes_it(cli, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(model("x"))
    run = cli("score", str(path), "-w", "\x1b[2Jf=1")
    assert run.code == 2 and "\x1b" not in run.err and "\\x1b[2Jf" in run.err


def test_a_scheme_name_with_escapes_is_shown_escaped(cli, tmp_path):
    from autosafety.schemes import example_text

    data = yaml.safe_load(example_text("deference"))
    data["name"] = "evil\x1b]0;title\x07[/bold]"
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    run = cli("scheme", "assess", str(path))
    assert run.code == 0, run.err
    assert "\x1b" not in run.out and "\x07" not in run.out
    assert "evil\\x1b]0;title\\x07[/bold]" in run.out
