"""The candidate lists the matcher works over: one function, the same lists for the same seed."""

from __future__ import annotations

import numpy as np

from pairctl.core.candidates import CANDIDATES, best_candidates, candidates
from pairctl.core.scoring import score_roster

from .rosters import make_roster


def test_lists_are_real_scores_never_oneself_and_seeded():
    model = score_roster(make_roster(60, ["Eng", "Data", "Sales", "HR"], 2))
    cand, scores = candidates(model, seed=3)
    assert cand.shape == scores.shape and cand.shape[0] == 60 and cand.shape[1] > CANDIDATES
    assert (cand != np.arange(60)[:, None]).all()
    rows = np.repeat(np.arange(60), cand.shape[1])
    np.testing.assert_allclose(scores.ravel(), model.pair_scores(rows, cand.ravel()))
    # The first slots are the exact top lists; the same seed gives the same lists.
    np.testing.assert_array_equal(cand[:, :CANDIDATES], best_candidates(model, CANDIDATES)[0])
    again, _ = candidates(model, seed=3)
    np.testing.assert_array_equal(cand, again)


def test_members_of_a_majority_specialty_also_get_partners_of_their_own_specialty():
    specialties = ["Eng"] * 7 + ["Data", "Sales", "HR"]
    model = score_roster(make_roster(50, specialties, 4))
    cand, _ = candidates(model, seed=0)
    eng = model.specialty == model.largest_specialty()[0]
    assert eng.sum() == 35
    # Their best partners come from other specialties, the last slots from their own.
    assert not eng[cand[eng, 0]].any()
    assert eng[cand[eng, -1]].all()
