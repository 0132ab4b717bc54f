"""The command line: the same services as the terminal UI, for scripts and tests.

Exit codes: 0 done; 1 refused by a rule (one line on stderr saying why, nothing
written); 2 usage error; 3 directory unavailable.
"""

from __future__ import annotations

from mailwizard.cli.main import main, run

__all__ = ["main", "run"]
