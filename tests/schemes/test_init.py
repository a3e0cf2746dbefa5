"""`autosafety scheme init`: a commented template, valid as written, never overwriting by accident."""

from __future__ import annotations

from typing import get_args

from autosafety.schemes import catalogue
from autosafety.schemes._spec import ControllerAction, TrainingMethod


def test_the_template_is_valid_as_written(cli, tmp_path):
    path = tmp_path / "my-plan.yaml"
    run = cli("scheme", "init", str(path))
    assert run.code == 0, run.err
    assert f"check it with `autosafety scheme assess {path}`" in run.err
    text = path.read_text()
    assert text.startswith("# An automated-safety scheme") and "  # required" in text
    assessed = cli("scheme", "assess", str(path))
    assert assessed.code == 0, assessed.err
    assert "level 2: AI-written algorithm, checked empirically" in assessed.out
    case = cli("scheme", "case", str(path), "--format", "md")
    assert case.code == 0, case.err


def test_stdout_without_a_path(cli, tmp_path):
    path = tmp_path / "plan.yaml"
    cli("scheme", "init", str(path))
    assert cli("scheme", "init").out == path.read_text()


def test_an_existing_file_is_kept_without_force(cli, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("mine")
    run = cli("scheme", "init", str(path))
    assert run.code == 2 and "Traceback" not in run.err
    assert f"not overwriting {path}" in run.err and "pass --force" in run.err
    assert path.read_text() == "mine"
    assert cli("scheme", "init", str(path), "--force").code == 0
    assert path.read_text() != "mine"


def test_the_comments_name_every_choice_the_schema_offers():
    from importlib import resources

    text = resources.files("autosafety.schemes").joinpath("data/template.yaml").read_text()
    for choice in (*catalogue().experiment_types, *get_args(ControllerAction),
                   *get_args(TrainingMethod)):
        assert choice in text, choice
