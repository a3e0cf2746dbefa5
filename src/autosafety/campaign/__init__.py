"""Human elicitation campaigns: campaigns, raters with private tokens (only hashes stored),
assigned cells, answers with versions (no silent lost update), rounds with timestamps; export to
the tidy ratings the model pools. Pure functions in ``_core``, the database in ``_store``.
Interviews (``_interview``: the questionnaire and its export to the timeline's task file) and seed
questions (``_seeds``: calibration items, the Cooke pool of a campaign), with their database shells
in ``_interview_store`` and ``_seeds_store``."""

from ._core import (
    Answer,
    StoredAnswer,
    answers_to_ratings,
    campaign_cells,
    check_answer,
    new_token,
    token_hash,
)
from ._interview import Interview, check_interview, interview_from_data, interviews_to_tasks
from ._interview_store import InterviewStore, export_stored
from ._seeds import CampaignPool, SeedAnswer, SeedQuestion, pool_campaign, read_seed_questions
from ._seeds_store import SeedStore, pool_stored
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
    "Answer", "CampaignInfo", "CampaignPool", "CampaignStore", "CreatedCampaign", "Interview",
    "InterviewStore", "Invitee", "NotFound", "RaterInfo", "RoundClosed", "RoundInfo", "SeedAnswer",
    "SeedQuestion", "SeedStore", "StaleWrite", "StoredAnswer", "answers_to_ratings",
    "campaign_cells", "check_answer", "check_interview", "export_stored", "interview_from_data",
    "interviews_to_tasks", "new_token", "pool_campaign", "pool_stored", "read_invitations",
    "read_seed_questions", "token_hash",
]
