"""What every benchmark script does first: run under the project's virtualenv.

``bench/<name>`` may be started with any ``python3`` (or directly, by its shebang); when the
virtualenv ``make setup`` builds exists and is not the running interpreter, the script is
started again with it, so the README's ``bench/<name> [--quick]`` works as written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def use_project_venv() -> None:
    python = ROOT / ".venv" / "bin" / "python"
    if (
        python.exists()
        and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve()
        and "BENCH_REEXEC" not in os.environ
    ):
        os.environ["BENCH_REEXEC"] = "1"
        os.execv(str(python), [str(python), os.path.abspath(sys.argv[0]), *sys.argv[1:]])
    sys.path.insert(0, str(ROOT))
