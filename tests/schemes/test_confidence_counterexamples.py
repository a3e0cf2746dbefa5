"""The kinds of implausible result Graydon and Holloway (NASA/TM-2016-219195) found in earlier
confidence calculations, posed as small gsn2x cases to our propagation (after Bloomfield and
Rushby, "Quantifying Confidence in Assurance 2.0 Arguments", arXiv 2604.00034).

What could be read, and what could not: the search tool returned only the opening of each stored
page. Of Bloomfield and Rushby that is the abstract (the method is "not susceptible to the
counterexamples" of Graydon and Holloway) and the list of figures up to Figure 8: 2 argument block
with a single subclaim, 3 decomposition block for argument by diversity, 4 and 5 concerns
eliminated by testing, by static analysis and by their diverse combination, 6 and 7 partitioned
argument and subclaims, 8 contained subclaim. Of Graydon and Holloway it is the cover page and the
NTRS abstract (proposed techniques "can deliver implausible results in some cases"). The section
in which Bloomfield and Rushby go through the counterexamples, and Graydon and Holloway's own
counterexample descriptions, could not be read; so each test below names the kind of implausible
result it guards against and the Bloomfield-Rushby figure whose construction it exercises, and the
cases and numbers are ours, worked by hand in the comments. No section number of either paper is
cited because none could be checked.
"""

from __future__ import annotations

import itertools
import math

import pytest
import yaml

from autosafety.schemes import evidence_of, propagate
from autosafety.schemes._gsn_read import case_from_data


def top(text: str):
    c, problems = case_from_data(yaml.safe_load(text), origin="t")
    assert problems == []
    conf = propagate(c)
    return conf.nodes[conf.top]


def legs(kind: str, *confidences) -> str:
    """G1 <- S1 (decomposition ``kind``) <- Sn1..Snk; a confidence of None leaves the leg unassessed."""
    ids = [f"Sn{i + 1}" for i in range(len(confidences))]
    lines = ["G1: {supportedBy: [S1]}", f"S1: {{supportedBy: [{', '.join(ids)}], decomposition: {kind}}}"]
    for i, c in zip(ids, confidences):
        lines.append(f"{i}: {{}}" if c is None else f"{i}: {{confidence: {c}}}")
    return "\n".join(lines) + "\n"


def close(iv, lo, hi) -> bool:
    return iv.lo == pytest.approx(lo, abs=1e-9) and iv.hi == pytest.approx(hi, abs=1e-9)


def test_many_likely_premises_of_a_conjunction_do_not_average_out():
    # Kind of counterexample: a calculation that averages (or weights) premise confidences reports a
    # conjunction of many individually likely premises as just as likely as each one, although all
    # of them must hold. Bloomfield and Rushby bound a conjunction by Fréchet without assuming
    # independence. Twenty premises at 0.95: Fréchet [max(0, 20 x .95 - 19), .95] = [0, .95]; under
    # independence .95^20 = 0.3585, far below the 0.95 an average would give.
    t = top(legs("conjunctive", *[0.95] * 20))
    assert close(t.bounds, 0.0, 0.95)
    assert t.independent.hi == pytest.approx(0.95**20) and t.independent.hi < 0.36
    previous = None
    for n in range(1, 21):  # each further needed premise never raises any of the three numbers
        now = top(legs("conjunctive", *[0.95] * n))
        if previous is not None:
            assert now.bounds.lo <= previous.bounds.lo + 1e-12
            assert now.bounds.hi <= previous.bounds.hi + 1e-12
            assert now.independent.hi <= previous.independent.hi + 1e-12
        previous = now
    assert top(legs("conjunctive", 0.95, 0.95)).bounds.lo == pytest.approx(0.9)  # 2 x .95 - 1


def test_a_conjunction_is_capped_by_its_weakest_premise():
    # Kind of counterexample: strong premises "outvote" a weak one that the conclusion equally
    # needs, so the conclusion is reported above what its weakest premise allows. In a conjunctive
    # block (every subclaim needed) the claim can hold only where all its subclaims do, so its
    # confidence is at most the least of them: here 0.1, whatever the other two say.
    t = top(legs("conjunctive", 0.99, 0.99, 0.1))
    assert t.bounds.hi == pytest.approx(0.1) and t.independent.hi <= 0.1
    assert close(t.bounds, 0.08, 0.1)  # Fréchet lower: .99 + .99 + .1 - 2 = .08


def test_weak_diverse_evidence_never_lowers_confidence_nor_the_verdict():
    # Kind of counterexample: adding a further, weak, piece of supporting evidence lowers the
    # confidence computed for the claim (as an average of legs would: (.9 + .1) / 2 = .5), so the
    # case looks worse for having more evidence. Bloomfield and Rushby's argument by diversity
    # (their Figures 3 and 5: diverse subclaims each eliminating concerns, one sufficing) takes at
    # least the strongest leg: [max lo, min(1, sum hi)], and 1 - prod(1 - p) under independence.
    one = top(legs("alternative", 0.9))
    weak = top(legs("alternative", 0.9, 0.1))
    assert close(one.bounds, 0.9, 0.9) and one.state == "supported"
    assert close(weak.bounds, 0.9, 1.0)  # max(.9, .1), min(1, .9 + .1)
    assert weak.independent.lo == pytest.approx(0.91)  # 1 - .1 x .9
    assert weak.bounds.lo >= one.bounds.lo and weak.independent.lo >= one.independent.lo
    # A leg whose confidence nobody has assessed adds nothing to the lower bound but takes nothing
    # away either, and must not turn a claim that one assessed leg already carries into "unknown".
    unassessed = top(legs("alternative", 0.9, None))
    assert close(unassessed.bounds, 0.9, 1.0) and unassessed.state == "supported"
    # The same weak evidence as a premise that is needed does lower it: the decomposition, not
    # the evidence alone, decides which way a weak piece pulls.
    assert top(legs("conjunctive", 0.9, 0.1)).bounds.hi == pytest.approx(0.1)


def test_a_defeater_on_one_diverse_leg_does_not_challenge_a_claim_another_leg_carries():
    # Kind of counterexample: a doubt about one leg of a diverse argument is charged to the claim as
    # a whole. With legs .9 and .6 and a defeater of confidence .5 on the .6 leg, that leg becomes
    # [max(0, .6 - .5), min(.6, 1 - .5)] = [.1, .5]; the claim keeps the .9 leg: [.9, 1].
    text = legs("alternative", 0.9, 0.6) + "CSn2: {challenges: Sn2, confidence: 0.5}\n"
    t = top(text)
    assert close(t.bounds, 0.9, 1.0) and t.state == "supported"
    assert t.independent.lo == pytest.approx(1 - 0.1 * 0.7)  # 1 - (1 - .9)(1 - .6 x .5)
    # Challenged on every leg, it is challenged.
    both = top(text + "CSn1: {challenges: Sn1, confidence: 0.5}\n")
    assert both.state == "challenged" and both.bounds.lo == pytest.approx(0.4)  # .9 - .5


def test_the_same_evidence_cited_twice_is_not_counted_twice():
    # Kind of counterexample: two "diverse" legs that rest on the same evidence are combined as if
    # independent, so repetition manufactures confidence (.9 twice -> 1 - .1^2 = .99). The sound
    # bound assumes no independence: the lower bound stays at .9, the value the repeated evidence
    # actually gives; only the separately reported independence estimate says .99.
    shared = (
        "G1: {supportedBy: [S1]}\nS1: {supportedBy: [G2, G3], decomposition: alternative}\n"
        "G2: {supportedBy: [Sn1]}\nG3: {supportedBy: [Sn1]}\nSn1: {confidence: 0.9}\n"
    )
    t = top(shared)
    assert t.bounds.lo == pytest.approx(0.9) and t.independent.lo == pytest.approx(0.99)
    # As a conjunction the truth is again .9 (both legs are the same event); the bounds contain it.
    c = top(shared.replace("alternative", "conjunctive"))
    assert c.bounds.lo <= 0.9 + 1e-12 <= c.bounds.hi + 1e-12 and close(c.bounds, 0.8, 0.9)


@pytest.mark.parametrize(
    "opinion, bounds",
    [
        ({"belief": 0, "disbelief": 0, "uncertainty": 1}, (0.0, 0.9)),  # ignorance: nothing known
        ({"belief": 0, "disbelief": 1, "uncertainty": 0}, (0.0, 0.0)),  # disbelief: known false
        ({"belief": 0.5, "disbelief": 0.5, "uncertainty": 0}, (0.4, 0.5)),  # an even, informed bet
    ],
)
def test_ignorance_is_neither_disbelief_nor_an_even_chance(opinion, bounds):
    # Kind of counterexample: an element nobody has evidence about is scored like evidence against
    # it, or like a 50/50 judgement, so ignorance and disbelief (or an informed 0.5) give the same
    # number. Here the second premise of a conjunction with a .9 premise is, in turn, ignorance
    # [0, 1] -> [0, .9]; disbelief [0, 0] -> [0, 0]; an informed .5 -> [.4, .5]. Three different
    # results, and ignorance alone keeps the claim's state "unknown".
    leg = evidence_of(opinion, where="x").interval
    t = top(legs("conjunctive", 0.9, f"[{leg.lo}, {leg.hi}]"))
    assert close(t.bounds, *bounds)
    ignorant = top(legs("conjunctive", 0.9, None))
    assert ignorant.state == "unknown" and close(ignorant.bounds, 0.0, 0.9)
    assert not close(ignorant.independent, 0.45, 0.45)  # not .9 x .5


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_a_single_subclaim_step_neither_decays_nor_inflates(depth):
    # Kind of counterexample: confidence shrinks (or grows) with every inference step merely because
    # the argument is drawn with more levels, although each step restates one subclaim. Bloomfield
    # and Rushby's argument block with a single subclaim (their Figure 2) passes the subclaim's
    # confidence up; doubt about the step itself is a defeater on it, not a toll per level.
    chain = [f"G{i}: {{supportedBy: [G{i + 1}]}}" for i in range(1, depth + 1)]
    t = top("\n".join(chain) + f"\nG{depth + 1}: {{supportedBy: [Sn1]}}\nSn1: {{confidence: 0.9}}\n")
    assert close(t.bounds, 0.9, 0.9) and close(t.independent, 0.9, 0.9)
    stepped = top(
        "\n".join(chain) + f"\nG{depth + 1}: {{supportedBy: [Sn1]}}\nSn1: {{confidence: 0.9}}\n"
        "CSn9: {challenges: G1 -> G2, confidence: 0.2}\n"
    )
    assert close(stepped.bounds, 0.7, 0.8)  # the doubted step: [.9 - .2, min(.9, 1 - .2)]


def test_a_partitioned_claim_lies_between_its_cases_weighted_by_share():
    # Kind of counterexample: a weak or unassessed case of a partition drags the whole claim as if
    # it covered everything (or is ignored as if it covered nothing). Bloomfield and Rushby's
    # partitioned argument (their Figures 6 and 7) sums share x confidence over disjoint cases: a
    # case with share .1 and confidence .5 beside one with share .9 and .99 gives
    # .9 x .99 + .1 x .5 = .941, between the two; left unassessed, it widens the bounds by exactly
    # its share: [.891, .991].
    text = (
        "G1: {supportedBy: [Sn1, Sn2], decomposition: partitioned}\n"
        "Sn1: {confidence: 0.99, share: 0.9}\nSn2: {confidence: 0.5, share: 0.1}\n"
    )
    t = top(text)
    assert close(t.bounds, 0.941, 0.941) and 0.5 < t.bounds.lo < 0.99
    gap = top(text.replace("Sn2: {confidence: 0.5, share: 0.1}", "Sn2: {share: 0.1}"))
    assert close(gap.bounds, 0.891, 0.991) and gap.bounds.hi - gap.bounds.lo == pytest.approx(0.1)


def test_an_unassessed_defeater_is_a_doubt_and_refuting_it_restores_confidence():
    # Kind of counterexample: an identified but unassessed doubt changes nothing (so finding doubts
    # is free) or a refuted one still costs confidence. Bloomfield and Rushby's abstract frames
    # confidence by how subclaims eliminate concerns: a standing defeater of unknown strength
    # leaves P(claim and not defeater) in [max(0, .9 - 1), min(.9, 1 - 0)] = [0, .9]; refuted, the
    # claim is back at .9 exactly.
    base = "G1: {supportedBy: [Sn1]}\nSn1: {confidence: 0.9}\n"
    standing = top(base + "CSn1: {challenges: Sn1}\n")
    assert standing.state == "challenged" and close(standing.bounds, 0.0, 0.9)
    refuted = top(base + "CSn1: {challenges: Sn1, defeated: true}\n")
    assert close(refuted.bounds, 0.9, 0.9) and refuted.state == "supported"


@pytest.mark.parametrize("kind", ["conjunctive", "alternative", "partitioned"])
def test_the_order_in_which_premises_are_drawn_does_not_matter(kind):
    # Kind of counterexample: a calculation whose result depends on how the argument is laid out
    # (here, the order of the supporting elements) rather than on what it says.
    values = [0.9, 0.6, None, "[0.7, 0.8]"]
    results = set()
    for perm in itertools.permutations(values):
        t = top(legs(kind, *perm))
        results.add((*t.bounds.as_list(), *t.independent.as_list(), t.state))  # to 4 places
    assert len(results) == 1, results


def joint_tables(a: float, b: float, steps: int = 50):
    """Every joint distribution (p11, p10, p01, p00) of two events with P(A) = a, P(B) = b, on a grid."""
    lo, hi = max(0.0, a + b - 1), min(a, b)
    for k in range(steps + 1):
        p11 = lo + (hi - lo) * k / steps
        yield p11, a - p11, b - p11, 1 - a - b + p11


@pytest.mark.parametrize("a, b", [(0.9, 0.8), (0.3, 0.4), (0.95, 0.95), (1.0, 0.2), (0.0, 0.7)])
def test_the_bounds_hold_for_every_dependence_and_are_reached(a, b):
    # Kind of counterexample: a number that holds only under an unstated independence (or other
    # dependence) assumption, and is wrong when the legs are related. The Fréchet bounds must
    # contain P(A and B) and P(A or B) for every joint distribution with these marginals, and be
    # reached by some, so they are neither unsound nor looser than the data force.
    conj = top(legs("conjunctive", a, b)).bounds
    alt = top(legs("alternative", a, b)).bounds
    ands, ors = [], []
    for p11, p10, p01, p00 in joint_tables(a, b):
        assert min(p11, p10, p01, p00) >= -1e-12 and math.isclose(p11 + p10 + p01 + p00, 1.0)
        ands.append(p11)
        ors.append(p11 + p10 + p01)
    assert conj.lo - 1e-12 <= min(ands) and max(ands) <= conj.hi + 1e-12
    assert min(ands) == pytest.approx(conj.lo) and max(ands) == pytest.approx(conj.hi)
    assert alt.lo - 1e-12 <= min(ors) and max(ors) <= alt.hi + 1e-12
    assert min(ors) == pytest.approx(alt.lo) and max(ors) == pytest.approx(alt.hi)
