"""The command line: the same services as the terminal UI, for scripts and tests.

Exit codes: 0 done; 1 refused by a rule (one line on stderr saying why, nothing
written); 2 usage error; 3 directory or mail folder unavailable (nothing committed);
70 a bug (one line on stderr, the details in the error log).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path


def keep_compiled_code(environ: Mapping[str, str] = os.environ) -> None:
    """Kiosks and these machines set PYTHONDONTWRITEBYTECODE=1, often over a read-only
    system: every start would then compile Textual and the rest again (0.5 s or more).
    Their compiled code goes to the user's cache instead, beside nothing else; an
    explicit PYTHONPYCACHEPREFIX is left as it is."""
    if not sys.dont_write_bytecode or sys.pycache_prefix is not None:
        return
    cache = Path(environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser())
    sys.pycache_prefix = str(cache / "mailwizard" / "pycache")
    sys.dont_write_bytecode = False


def main() -> None:
    """The ``mailwizard`` program."""
    keep_compiled_code()
    if len(sys.argv) == 1:
        # Nothing to parse: the wizard opens sooner without the command-line library.
        from mailwizard.cli.launch import open_wizard

        sys.exit(open_wizard())
    from mailwizard.cli.main import run

    sys.exit(run())
