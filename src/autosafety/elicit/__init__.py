"""LLM raters (any Inspect provider) with rubrics, provenance, caching and resume; inter-rater
agreement; pooling of expert judgements by Cooke's classical model (EXCALIBUR files). Inspect is
imported only when a run starts (optional extra ``autosafety[llm]``)."""

from ._agreement import (
    AgreementReport,
    Alpha,
    Disagreement,
    agreement,
    bootstrap_alpha,
    interval_alpha,
    rater_columns,
)
from ._cache import Answer, AnswerCache
from ._collect import collect_ratings, rater_id
from ._cooke import CookeResult, ExpertJudgements, cooke, expert_judgements
from ._cooke_io import read_excalibur, write_excalibur
from ._elicit import elicit
from ._parse import Parsed, Status, parse_answer
from ._plan import Request, parse_papers_csv, plan_requests
from ._prompt import PROMPT_VERSION, SYSTEM_PROMPT, Paper, anchors, cell_prompt, rubric_version
from ._run import Progress, RunReport, load_models, run_requests

__all__ = [
    "PROMPT_VERSION", "SYSTEM_PROMPT", "AgreementReport", "Alpha", "Answer", "AnswerCache",
    "CookeResult", "Disagreement", "ExpertJudgements", "Paper", "Parsed", "Progress", "Request",
    "RunReport", "Status", "agreement", "anchors", "bootstrap_alpha", "cell_prompt",
    "collect_ratings", "cooke", "elicit", "expert_judgements", "interval_alpha", "load_models",
    "parse_answer", "parse_papers_csv", "plan_requests", "rater_columns", "rater_id",
    "read_excalibur", "rubric_version", "run_requests", "write_excalibur",
]
