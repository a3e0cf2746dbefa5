"""User-facing errors shared by every part: a list of problems, each with where, what and the fix."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input."""

    location: str
    """Where: a file and field path (``factors[2].weight``) or CSV line (``ratings.csv line 7``)."""
    message: str
    """What is wrong, in the user's words."""
    fix: str = ""
    """What would fix it."""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text} (fix: {self.fix})" if self.fix else text


class InputError(Exception):
    """Bad input from a user; the CLI prints every problem and exits with status 2."""

    def __init__(self, problems: list[Problem] | Problem | str, *, title: str = "invalid input"):
        if isinstance(problems, str):
            problems = [Problem("input", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.title = title
        super().__init__(self.render())

    def render(self) -> str:
        """All problems as plain text, one per line; control characters in the user's text (an
        ESC in a name) are shown as escapes, never sent to the terminal."""
        lines = [f"{self.title}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), x)
                         for x in lines)
