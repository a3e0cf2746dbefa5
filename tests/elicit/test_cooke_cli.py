"""`autosafety pool cooke` on EXCALIBUR files: the fixed-column layout with spaces in ids, missing
answers, target items; every malformed file exits 2 naming its line, never a traceback."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from autosafety.elicit._cooke_io import excalibur_texts, judgements_from_text

from .test_cooke import _random_case

DTT = """\
* CLASS ASCII OUTPUT FILE. NQ=   3   QU=   5  50  95
    1     Anna    1 subducted dist LOG  2.00000E+0002  4.00000E+0002  6.00000E+0002
    1     Anna    2    Rock uplift UNI  5.00000E+0000  1.00000E+0001  3.00000E+0001
    1     Anna    3   PGA %g diff. UNI  1.00000E-0001  3.00000E-0001  5.00000E-0001
    2    Bruno    1 subducted dist LOG  5.00000E+0002  1.00000E+0003  2.00000E+0003
    2    Bruno    2    Rock uplift UNI -9.95000E+0002 -9.95000E+0002 -9.95000E+0002
    2    Bruno    3   PGA %g diff. UNI  1.00000E-0001  1.50000E-0001  2.00000E-0001
"""
RLS = """\
    1 subducted dist  8.90000E+0002 LOG                     full question text
    2    Rock uplift  2.00000E+0000 UNI
    3   PGA %g diff. -9.95000E+0002 UNI
"""


def test_reads_the_fixed_column_layout(tmp_path):
    j = judgements_from_text(DTT, RLS)
    assert j.experts == ("Anna", "Bruno")
    assert j.items == ("subducted dist", "Rock uplift", "PGA %g diff.")
    assert j.scales == ("log", "uni", "uni")
    assert j.realizations[:2].tolist() == [890.0, 2.0] and math.isnan(j.realizations[2])
    assert j.answered.tolist() == [[True, True, True], [True, False, True]]
    assert j.values[0, 2].tolist() == [0.1, 0.3, 0.5]


def test_written_files_read_back_the_same():
    built = _random_case(np.random.default_rng(3), experts=5, items=8, seeds=5, missing=0.1)
    back = judgements_from_text(*excalibur_texts(built))
    assert back.experts == built.experts and back.items == built.items and back.scales == built.scales
    assert np.allclose(back.values, built.values, rtol=1e-5, equal_nan=True)
    assert np.allclose(back.realizations, built.realizations, rtol=1e-5, equal_nan=True)


def test_cli_table_and_json(cli, tmp_path):
    (tmp_path / "g.dtt").write_text(DTT)
    (tmp_path / "g.rls").write_text(RLS)
    run = cli("pool", "cooke", str(tmp_path / "g.dtt"))  # the .rls next to it by default
    assert run.code == 0, run.err
    assert "Anna" in run.out and "Bruno" in run.out and "DM" in run.out
    assert "subducted dist" in run.out and "PGA %g diff." in run.out
    out = json.loads(cli("pool", "cooke", str(tmp_path / "g.dtt"), "-r", str(tmp_path / "g.rls"),
                         "--weights", "equal", "-f", "json").out)
    assert [e["seeds_answered"] for e in out["experts"]] == [2, 1]
    assert out["n_min"] == 1 and out["weighting"] == "equal"
    assert [e["weight"] for e in out["experts"]] == [0.5, 0.5]
    # Rock uplift: only Anna answered, so the equal-weight DM is Anna's distribution
    assert out["decision_maker"]["items"][1]["quantiles"] == pytest.approx([5.0, 10.0, 30.0])


BAD = [
    ("header", "* CLASS ASCII OUTPUT FILE. NQ=   3\n" + DTT.split("\n", 1)[1], "line 1", "QU="),
    ("word", DTT.replace("1.50000E-0001", "abc"), "line 7", "'abc' is not a number"),
    ("short", DTT.replace(" 5.00000E-0001\n", "\n"), "line 4", "2 value(s) for 3 quantiles"),
    ("order", DTT.replace("5.00000E+0000  1.00000E+0001", "5.00000E+0001  1.00000E+0001"), "line 3",
     "not strictly increasing"),
    ("scale", DTT.replace("    2    Bruno    1 subducted dist LOG", "    2    Bruno    1 subducted dist UNI"),
     "line 5", "item 1 is 'subducted dist' UNI here but 'subducted dist' LOG on line 2"),
    ("repeat", DTT + "    2    Bruno    3   PGA %g diff. UNI  1.0 2.0 3.0\n", "line 8",
     "answers item 3 again (first on line 7)"),
    ("partial", DTT.replace("1.50000E-0001", "-9.95000E+0002"), "line 7", "some quantiles are missing"),
    ("garbage", DTT + "hello there\n", "line 8", "not an assessment line"),
    ("log", DTT.replace("2.00000E+0002  4.00000E+0002", "-2.00000E+0002  4.00000E+0002"), "line 2",
     "LOG item needs positive"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), BAD, ids=[b[0] for b in BAD])
def test_malformed_dtt_exits_2_naming_the_line(cli, tmp_path, name, text, line, message):
    (tmp_path / "bad.dtt").write_text(text)
    (tmp_path / "bad.rls").write_text(RLS)
    run = cli("pool", "cooke", str(tmp_path / "bad.dtt"), "--realizations", str(tmp_path / "bad.rls"))
    assert run.code == 2
    assert f"bad.dtt {line}: " in run.err and message in run.err, run.err
    assert "Traceback" not in run.err


def test_malformed_rls_and_missing_files_exit_2(cli, tmp_path):
    (tmp_path / "c.dtt").write_text(DTT)
    (tmp_path / "c.rls").write_text(RLS.replace("2.00000E+0000", "two"))
    run = cli("pool", "cooke", str(tmp_path / "c.dtt"))
    assert run.code == 2 and "c.rls line 2: 'two' is not a number" in run.err
    (tmp_path / "c.rls").write_text(RLS + "    4     Unknown item  1.0 UNI\n")
    run = cli("pool", "cooke", str(tmp_path / "c.dtt"))
    assert run.code == 2 and "c.rls line 4: item 'Unknown item' is not in" in run.err
    run = cli("pool", "cooke", str(tmp_path / "none.dtt"))
    assert run.code == 2 and "none.dtt: cannot read" in run.err
    (tmp_path / "c.rls").write_text(RLS)
    run = cli("pool", "cooke", str(tmp_path / "c.dtt"), "--alpha", "0.99999")
    assert run.code == 2 and "--alpha" in run.err
