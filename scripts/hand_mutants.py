# ruff: noqa: E501  (one mutant per line: file, text, mutated text, tests)
"""The hand-made mutants of issue 16: apply each, run the tests meant to catch it (they must fail),
restore the file byte for byte. Usage: python scripts/hand_mutants.py [NAME-SUBSTRING...]
(run from a clean tree; the venv at .venv)."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
W = "tests/analysis/test_wrong_answers.py"
MUTANTS = [
 ("precision on mean se", "src/autosafety/analysis/_montecarlo.py", "return float(np.sqrt(p * (1 - p) / t.n).max())", "return float(np.sqrt(p * (1 - p) / t.n).mean())", [W + "::test_precision_stops_on_the_largest_standard_error_not_the_mean"]),
 ("compare: published as yours", "src/autosafety/web/_compare.py", '"gaps": {"mine": a_res.gaps,', '"gaps": {"mine": b_res.gaps,', ["tests/web/test_api.py::test_compare_puts_each_model_on_its_own_side"]),
 ("compare: published categories as yours", "src/autosafety/web/_compare.py", '"categories": {"mine": a_res.category_scores,', '"categories": {"mine": b_res.category_scores,', ["tests/web/test_api.py::test_compare_puts_each_model_on_its_own_side"]),
 ("implied: inverted deletion filter", "src/autosafety/analysis/_implied.py", "if trial and max_margin(d[trial])[0] <= TOL:", "if trial and max_margin(d[trial])[0] > TOL:", [W + "::test_a_conflict_of_three_orders_is_found_and_is_irreducible"]),
 ("gap interval 80%", "src/autosafety/analysis/_montecarlo.py", "for x in ((1 - lvl) / 2, 0.5, (1 + lvl) / 2)]", "for x in ((1 - lvl), 0.5, lvl)]", [W + "::test_the_90_percent_gap_and_score_intervals_cover_the_truth_90_percent_of_the_time"]),
 ("bootstrap alpha 90%", "src/autosafety/elicit/_agreement.py", "tail = (1 - confidence) / 2", "tail = (1 - confidence)", ["tests/elicit/test_agreement.py::test_the_95_percent_bootstrap_interval_cuts_2_5_percent_from_each_tail"]),
 ("sobol unsquared noise", "src/autosafety/analysis/_sobol.py", "w2 = plan.rater_weight ** 2", "w2 = plan.rater_weight", [W + "::test_sobol_combines_rater_noise_as_the_root_of_summed_squares"]),
 ("resampling ignores within weights", "src/autosafety/analysis/_sampling.py", "p = within[members] / within[members].sum() if within[members].sum() > 0 else None", "p = None", [W + "::test_rater_resampling_keeps_within_source_weights"]),
 ("histogram without interpolation", "src/autosafety/analysis/_montecarlo.py", "return lo + (idx + frac) * (hi - lo) / hist.shape[1]", "return lo + idx * (hi - lo) / hist.shape[1]", [W + "::test_histogram_quantiles_interpolate_within_their_bin"]),
 ("flip without rest > 0", "src/autosafety/analysis/_flips.py", "ok = (diffs != 0) & (t >= 0) & (rest > 0) & np.isfinite(t)", "ok = (diffs != 0) & (t >= 0) & np.isfinite(t)", [W + "::test_no_flip_when_the_other_weights_are_all_zero"]),
 ("scheme rule > 4", "src/autosafety/schemes/_assess.py", "if len(ctrl.may) >= 4:", "if len(ctrl.may) > 4:", ["tests/schemes/test_flexible_boundary.py"]),
 ("smallest change: early-returned case (g.min() > 0 -> >= 0)", "src/autosafety/analysis/_distance.py", "if g.min() > 0:  # every", "if g.min() > 1:  # every", ["tests/analysis/test_sensitivity.py::test_smallest_change_beats_random_search"]),
 ("check_claim: no weight draws by default", "src/autosafety/analysis/_claims.py", "weight_concentration: float | None = WEIGHT_CONCENTRATION,", "weight_concentration: float | None = None,", ["tests/analysis/test_cli.py::test_sensitivity_implied_and_check", W + "::test_check_claim_probability_matches_an_independent_simulation"]),
 ("scenario weight unguarded", "src/autosafety/analysis/_scenario.py", "weights: dict[str, NonNegative] = Field(default_factory=dict)", "weights: dict[str, Any] = Field(default_factory=dict)", ["tests/analysis/test_cli.py::test_a_bad_scenario_file_exits_2_naming_the_field", "tests/web/test_analysis_api.py::test_a_bad_scenario_is_422_naming_the_field"]),
]
only = sys.argv[1:]
for name, path, old, new, tests in MUTANTS:
    if old is None or (only and not any(o in name for o in only)):
        continue
    f = ROOT / path
    orig = f.read_bytes()
    text = orig.decode()
    assert text.count(old) == 1, (name, path)
    try:
        f.write_text(text.replace(old, new))
        r = subprocess.run(["nice", ".venv/bin/pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                           cwd=ROOT, capture_output=True, text=True)
        last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-200:]
        print(f"{'KILLED ' if r.returncode else 'SURVIVED'} {name}: {last}", flush=True)
    finally:
        f.write_bytes(orig)
