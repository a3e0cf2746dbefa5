"""Automated-safety schemes: level 1-4, collapse verdict, worries, less automation and a GSN safety case.

Implements the seed "Automation collapse": a scheme file describes who writes the algorithm, the
controller agent, the research environment, the evaluation algorithm and what humans check.
"""

from ._assess import FEATURES, Assessment, Option, Reason, TriggeredWorry, Verdict, assess, classify, features
from ._case import build_case
from ._catalogue import Catalogue, ExperimentType, Level, Worry, catalogue
from ._confidence import Confidence, NodeConfidence, propagate, residual_doubts
from ._evidence import Interval, evidence_of
from ._files import (
    EXAMPLES,
    CaseCheck,
    Example,
    assess_and_build,
    check_case,
    check_case_text,
    example_text,
    examples,
    json_schema,
    load_scheme,
    parse_scheme_text,
    scheme_from_data,
    validate_files,
)
from ._gsn import RULES, Node, SafetyCase, Violation, case_from_data, validate
from ._render import CASE_FORMATS, MEDIA_TYPES, render, to_dot, to_markdown, to_mermaid, to_svg, to_yaml
from ._spec import Scheme

__all__ = [
    "CASE_FORMATS",
    "EXAMPLES",
    "FEATURES",
    "MEDIA_TYPES",
    "RULES",
    "Assessment",
    "CaseCheck",
    "Catalogue",
    "Confidence",
    "Example",
    "ExperimentType",
    "Interval",
    "Level",
    "Node",
    "NodeConfidence",
    "Option",
    "Reason",
    "SafetyCase",
    "Scheme",
    "TriggeredWorry",
    "Verdict",
    "Violation",
    "Worry",
    "assess",
    "assess_and_build",
    "build_case",
    "case_from_data",
    "catalogue",
    "check_case",
    "check_case_text",
    "classify",
    "evidence_of",
    "example_text",
    "examples",
    "features",
    "json_schema",
    "load_scheme",
    "parse_scheme_text",
    "propagate",
    "render",
    "residual_doubts",
    "scheme_from_data",
    "to_dot",
    "to_markdown",
    "to_mermaid",
    "to_svg",
    "to_yaml",
    "validate",
    "validate_files",
]
