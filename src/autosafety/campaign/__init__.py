"""Human elicitation campaigns: campaigns, raters with private tokens (only hashes stored),
assigned cells, answers with versions (no silent lost update), rounds with timestamps; export to
the tidy ratings the model pools. Pure functions in ``_core``, the database in ``_store``."""

from ._core import (
    Answer,
    StoredAnswer,
    answers_to_ratings,
    campaign_cells,
    check_answer,
    new_token,
    token_hash,
)
from ._store import (
    CampaignInfo,
    CampaignStore,
    CreatedCampaign,
    Invitee,
    NotFound,
    RaterInfo,
    RoundClosed,
    RoundInfo,
    StaleWrite,
    read_invitations,
)

__all__ = [
    "Answer", "CampaignInfo", "CampaignStore", "CreatedCampaign", "Invitee", "NotFound", "RaterInfo",
    "RoundClosed", "RoundInfo", "StaleWrite", "StoredAnswer",
    "answers_to_ratings", "campaign_cells", "check_answer", "new_token", "read_invitations",
    "token_hash",
]
