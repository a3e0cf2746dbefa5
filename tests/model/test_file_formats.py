"""File formats byte for byte: which format a file name implies, how user files are read (BOM,
size cap, encoding), and the exact text the exports write."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from autosafety import InputError
from autosafety.model import (
    MAX_BYTES,
    Rating,
    dump_model,
    json_schema,
    model_from_data,
    parse_model_text,
    ratings_to_csv,
    read_text,
)
from autosafety.model._files import format_of

from .conftest import make_spec

WORDS = ["abcdefghi"] * 30
"""A long one-line description: 30 nine-letter words."""


@pytest.mark.parametrize(("name", "fmt"), [
    ("m.yaml", "yaml"), ("m.yml", "yaml"), ("M.YML", "yaml"), ("m.Yaml", "yaml"),
    ("m.json", "json"), ("m.JSON", "json"), ("m.csv", "csv"), ("ratings.CSV", "csv")])
def test_the_format_follows_the_extension_in_any_case(name, fmt):
    assert format_of(Path(name)) == fmt


@pytest.mark.parametrize(("name", "ext"), [("m.txt", ".txt"), ("m.yaml.bak", ".bak"),
                                           ("model", "")])
def test_an_unknown_extension_is_refused_naming_it(name, ext):
    with pytest.raises(InputError) as info:
        format_of(Path("dir") / name)
    (p,) = info.value.problems
    assert (p.location, p.message, p.fix) == (str(Path("dir") / name),
                                              f"unknown file extension '{ext}'",
                                              "use .yaml, .yml, .json or .csv")


# -- reading ------------------------------------------------------------------------------------
def test_a_leading_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: x\n")
    assert read_text(path) == "id: x\n"


def test_text_is_read_as_utf8(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_bytes("name: Région – ✓\n".encode())
    assert read_text(path) == "name: R\u00e9gion \u2013 \u2713\n"


def test_text_is_read_as_utf8_under_an_ascii_locale(tmp_path):
    """Not the locale's encoding: a plain C locale with Python's UTF-8 mode off decodes ASCII."""
    path = tmp_path / "m.yaml"
    path.write_bytes(b"name: R\xc3\xa9gion\n")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    code = ("import locale, sys; from pathlib import Path; from autosafety.model import read_text; "
            "print(locale.getpreferredencoding(False), ascii(read_text(Path(sys.argv[1]))))")
    run = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "ANSI_X3.4-1968 'name: R\\xe9gion\\n'\n"


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_bytes(b"id:\xff\n")
    with pytest.raises(InputError) as info:
        read_text(path)
    (p,) = info.value.problems
    assert (p.location, p.message, p.fix) == (str(path),
                                              "not UTF-8 text (invalid start byte at byte 3)",
                                              "save the file as UTF-8")


def test_a_missing_file_is_refused(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(InputError) as info:
        read_text(path)
    (p,) = info.value.problems
    assert (p.location, p.message, p.fix) == (str(path), "no such file", "check the path")


def test_a_file_of_exactly_the_size_limit_is_read(tmp_path):
    path = tmp_path / "full.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES)  # 20 MiB of NUL bytes, valid UTF-8
    assert MAX_BYTES == 20 * 2**20
    assert len(read_text(path)) == 20 * 2**20


def test_a_file_over_the_limit_gives_its_size_in_megabytes(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(21_050_001)  # 21.050001 MB
    with pytest.raises(InputError) as info:
        read_text(path)
    (p,) = info.value.problems
    assert (p.location, p.message, p.fix) == (str(path), "file is 21.1 MB, over the 20 MB limit",
                                              "split it or trim it")


def test_problems_of_text_without_an_origin_are_located_in_model():
    with pytest.raises(InputError) as info:
        parse_model_text("factors: 3\n", fmt="yaml")
    assert [p.location for p in info.value.problems] == ["model: factors", "model: areas"]


# -- writing ------------------------------------------------------------------------------------
def _model(**overrides):
    spec = make_spec(name="Région", description=" ".join(WORDS), **overrides)
    return model_from_data(spec)


def test_json_export_is_indented_by_two_with_text_as_written():
    text = dump_model(_model(), "json")
    assert text.startswith('{\n  "schema_version": 1,\n  "id": "tiny",\n  "name": "Région",\n')
    assert text.endswith("\n}\n")


def test_json_export_writes_a_yaml_date_as_text():
    spec = make_spec()
    spec["ratings"][0]["provenance"] = yaml.safe_load("when: 2026-05-01")
    data = json.loads(dump_model(model_from_data(spec), "json"))
    assert data["ratings"][0]["provenance"] == {"when": "2026-05-01"}


def test_yaml_export_keeps_the_field_order_and_the_text_as_written():
    text = dump_model(_model(), "yaml")
    assert text.startswith("schema_version: 1\nid: tiny\nname: Région\n")


def test_yaml_export_folds_long_text_past_100_columns():
    text = dump_model(_model(), "yaml")
    nine, ten = " ".join(WORDS[:9]), " ".join(WORDS[:10])
    # a line is broken at the first space past column 100: 13 + 89 = 102 columns, then 2 + 99
    assert f"description: {nine}\n  {ten}\n  {ten}\n  abcdefghi\n" in text
    assert yaml.safe_load(text)["description"] == " ".join(WORDS)


def test_csv_export_is_a_json_header_line_then_the_ratings():
    spec = make_spec(name="Région")
    spec["ratings"][1].update(low=5, high=7.5, credibility=0.8, rationale="long, \"quoted\"",
                              provenance={"model": "m", "effort": "high"})
    text = dump_model(model_from_data(spec), "csv")
    first, rest = text.split("\n", 1)
    assert first.startswith('# autosafety-model: {"schema_version": 1, "id": "tiny", "name": "Région"')
    meta = json.loads(first.removeprefix("# autosafety-model: "))
    assert "ratings" not in meta
    assert [(f["id"], f["weight"]) for f in meta["factors"]] == [("f1", 1.0), ("f2", 3.0)]
    assert rest == (
        "area,factor,rater,value,low,high,credibility,rationale,provenance\n"
        "a1,f1,me,2.0,,,,,\n"
        'a1,f2,me,6.0,5.0,7.5,0.8,"long, ""quoted""","{""effort"": ""high"", ""model"": ""m""}"\n'
        "a2,f1,me,8.0,,,,,\n"
        "a2,f2,me,4.0,,,,,\n")


def test_ratings_csv_leaves_absent_fields_blank_and_reads_back_with_the_csv_module():
    ratings = [Rating(area="a", factor="f", rater="r", value=3, low=2.25, high=4, credibility=0.5,
                      rationale="two\nlines", provenance={"z": 1, "a": [1, 2]}),
               Rating(area="a", factor="g", rater="r", value=9.5)]
    text = ratings_to_csv(ratings)
    assert "\r" not in text.replace("\n", "") and text.count("\r\n") == 0
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["area", "factor", "rater", "value", "low", "high", "credibility", "rationale",
         "provenance"],
        ["a", "f", "r", "3.0", "2.25", "4.0", "0.5", "two\nlines", '{"a": [1, 2], "z": 1}'],
        ["a", "g", "r", "9.5", "", "", "", "", ""],
    ]


def test_an_unknown_export_format_is_refused():
    with pytest.raises(InputError) as info:
        dump_model(_model(), "toml")  # type: ignore[arg-type]
    (p,) = info.value.problems
    assert (p.location, p.message, p.fix) == ("--format", "unknown format 'toml'",
                                              "use yaml, json or csv")


def test_the_json_schema_declares_draft_2020_12_and_is_a_valid_schema():
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "autosafety model"
    jsonschema.Draft202012Validator.check_schema(schema)
