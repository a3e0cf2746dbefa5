"""Re-test mutants of a kept mutmut clone against some test files, in one process.

    KEEP=1 scripts/mutation.sh analysis-core           # prints "kept /tmp/mutation-analysis-core.XXXX"
    cd /tmp/mutation-analysis-core.XXXX/repo/mutants
    cp /path/to/new/tests/analysis/test_*.py tests/analysis/
    grep -E ': (survived|no tests)$' ../../results.txt > survivors.txt
    PYTHONPATH=$PWD/src python /path/to/scripts/mutation_retest.py survivors.txt tests/analysis/test_x.py ...

mutmut's trampoline reads ``MUTANT_UNDER_TEST`` each time a mutated function is called, so one
Python process can switch mutants between ``pytest.main`` runs (a second or two per mutant instead
of a fresh interpreter). Prints ``NAME CODE`` per mutant: 0 = survived these tests, 1 = killed,
``timeout`` = ran over 120 s. A mutant killed here is killed; one that survives may still be killed
by tests not given (this is how docs/testing.md's "after" scores of a part too slow to rerun whole
were measured: the survivors of the full run, re-tested against the tests written since).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys

import pytest

LIMIT_S = 120


class _Timeout(BaseException):
    pass


def _alarm(*_: object) -> None:
    raise _Timeout


def main(listing: str, files: list[str]) -> None:
    signal.signal(signal.SIGALRM, _alarm)
    with open(listing) as f:
        names = [line.split()[0].rstrip(":") for line in f if line.strip()]
    for name in names:
        os.environ["MUTANT_UNDER_TEST"] = name
        signal.alarm(LIMIT_S)
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = str(int(pytest.main(["-q", "-x", "-p", "no:cacheprovider", "-W", "ignore",
                                            "-p", "no:_postgres", *files])))
        except _Timeout:
            code = "timeout"
        finally:
            signal.alarm(0)
        print(name, code, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
