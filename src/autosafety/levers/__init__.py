"""Levers: the 004 post's interventions as data, their exact effect on the gap of the factor
model, their effect on the timeline's dates (common random numbers), portfolios under a budget,
the smallest rating change that closes the gap, and robust top-k ("safer bets", 001).

``rank_levers(model)`` ranks the built-in catalogue; every result keeps its inputs and has
``to_dict()``.
"""

from ._catalogue import (
    BUILTIN,
    Lever,
    builtin_catalogue,
    dumps_schema,
    lever_schema,
    parse_levers,
    read_levers,
    resolve,
)
from ._effects import Applied, LeverEffect, LeverRanking, apply, categories_of, rank_levers
from ._spec import ChangeSpec, LeverFile, LeverSpec

__all__ = [
    "BUILTIN", "Applied", "ChangeSpec", "Lever", "LeverEffect", "LeverFile", "LeverRanking",
    "LeverSpec", "apply", "builtin_catalogue", "categories_of", "dumps_schema", "lever_schema",
    "parse_levers", "rank_levers", "read_levers", "resolve",
]
