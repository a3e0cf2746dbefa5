"""Cooke's classical model against ANDURYL (PyPI ``anduryl``, GPL: a test oracle in the dev extra,
never imported by the package) on cases built here and written as EXCALIBUR files that both read:
every expert's calibration and information, the decision maker's scores, quantiles and cutoff
agree to 3 significant figures (in fact to about 1e-9)."""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pytest

from autosafety.elicit._cooke import cooke
from autosafety.elicit._cooke_io import read_excalibur, write_excalibur

from .test_cooke import _random_case

RTOL = 1e-3  # 3 significant figures


@pytest.fixture(scope="module")
def anduryl_project():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import anduryl
    mp = pytest.MonkeyPatch()
    mp.setattr(np, "in1d", np.isin, raising=False)  # removed in numpy 2.4, still used by ANDURYL 1.2.2

    def run(dtt, rls, weighting, alpha):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            project = anduryl.Project()
            project.io.load_excalibur(str(dtt), str(rls))
            project.calculate_decision_maker(weight_type=weighting, overshoot=0.1, exp_id="DM",
                                             alpha=alpha)
        return project

    yield run
    mp.undo()


def _close(ours, theirs, what):
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    assert ours.shape == theirs.shape, what
    assert np.allclose(ours, theirs, rtol=RTOL, atol=1e-12, equal_nan=True), (what, ours, theirs)


CASES = [  # (seed, experts, items, seeds, quantiles, missing share, realizations on quantiles)
    (1, 5, 10, 6, (0.05, 0.5, 0.95), 0.0, False),
    (2, 8, 14, 10, (0.05, 0.5, 0.95), 0.1, False),
    (3, 6, 12, 8, (0.05, 0.25, 0.5, 0.75, 0.95), 0.0, False),
    (4, 10, 9, 7, (0.05, 0.5, 0.95), 0.0, True),
    (5, 4, 16, 12, (0.1, 0.5, 0.9), 0.15, True),
    (6, 12, 11, 11, (0.05, 0.5, 0.95), 0.05, False),
]


@pytest.mark.parametrize("case", CASES, ids=[f"case{c[0]}" for c in CASES])
@pytest.mark.parametrize("weighting", ["global", "item", "equal"])
def test_scores_and_decision_maker_agree_with_anduryl(case, weighting, anduryl_project, tmp_path):
    seed, experts, items, seeds, quantiles, missing, ties = case
    built = _random_case(np.random.default_rng(seed), experts=experts, items=items, seeds=seeds,
                         quantiles=np.array(quantiles), missing=missing, ties=ties)
    dtt, rls = tmp_path / "case.dtt", tmp_path / "case.rls"
    write_excalibur(built, dtt, rls)
    ours = cooke(read_excalibur(dtt, rls), weighting=weighting)
    theirs = anduryl_project(dtt, rls, weighting, None if weighting != "equal" else 0.0)
    ex = theirs.experts
    n = len(ours.judgements.experts)
    assert ex.ids[:n] == list(ours.judgements.experts)
    _close(ours.calibration, ex.calibration[:n], "calibration")
    _close(ours.information, ex.info_real[:n], "seed information")
    _close(ours.information_all, ex.info_total[:n], "information")
    dm = ex.ids.index("DM")
    _close(ours.dm_calibration, ex.calibration[dm], "DM calibration")
    _close(ours.dm_information, ex.info_real[dm], "DM seed information")
    _close(ours.dm_information_all, ex.info_total[dm], "DM information")
    _close(ours.dm_quantiles, theirs.assessments.array[dm].T, "DM quantiles")
    _close(ours.alpha, theirs.main_results.alpha_opt, "alpha")
    if weighting != "equal":
        # ANDURYL's weight in the DM: calibration x information, zero below the cutoff, normalised
        raw = np.where(ex.calibration[:n] >= theirs.main_results.alpha_opt, ex.comb_score[:n], 0.0)
        _close(ours.weights, raw / raw.sum(), "weights")
        assert ours.dm_score > 0


def test_a_fixed_cutoff_agrees_with_anduryl(anduryl_project, tmp_path):
    built = _random_case(np.random.default_rng(11), experts=7, items=10, seeds=8)
    dtt, rls = tmp_path / "case.dtt", tmp_path / "case.rls"
    write_excalibur(built, dtt, rls)
    ours = cooke(read_excalibur(dtt, rls), alpha=0.01)
    theirs = anduryl_project(dtt, rls, "global", 0.01)
    dm = theirs.experts.ids.index("DM")
    assert not ours.alpha_optimised and ours.alpha == 0.01
    _close(ours.dm_quantiles, theirs.assessments.array[dm].T, "DM quantiles")
    _close(ours.dm_calibration, theirs.experts.calibration[dm], "DM calibration")


def test_the_cli_prints_anduryls_numbers(cli, anduryl_project, tmp_path):
    built = _random_case(np.random.default_rng(21), experts=6, items=12, seeds=9, missing=0.05)
    dtt, rls = tmp_path / "study.dtt", tmp_path / "study.rls"
    write_excalibur(built, dtt, rls)
    run = cli("pool", "cooke", str(dtt), "--realizations", str(rls), "--format", "json")
    assert run.code == 0, run.err
    out = json.loads(run.out)
    theirs = anduryl_project(dtt, rls, "global", None)
    ex = theirs.experts
    _close([e["calibration"] for e in out["experts"]], ex.calibration[:6], "calibration")
    _close([e["information_all"] for e in out["experts"]], ex.info_total[:6], "information")
    dm = ex.ids.index("DM")
    _close(out["decision_maker"]["calibration"], ex.calibration[dm], "DM calibration")
    _close([i["quantiles"] for i in out["decision_maker"]["items"]], theirs.assessments.array[dm].T,
           "DM quantiles")
    table = cli("pool", "cooke", str(dtt), "--realizations", str(rls))
    assert table.code == 0
    assert f"{ex.calibration[dm]:.4g}" in table.out
    assert "alpha (calibration cutoff, optimised)" in table.out
