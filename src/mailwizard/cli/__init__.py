"""The command line: the same services as the terminal UI, for scripts and tests.

Exit codes: 0 done; 1 refused by a rule (one line on stderr saying why, nothing
written); 2 usage error; 3 directory or mail folder unavailable (nothing committed);
70 a bug (one line on stderr, the details in the error log).
"""

from __future__ import annotations

import sys


def main() -> None:
    """The ``mailwizard`` program."""
    if len(sys.argv) == 1:
        # Nothing to parse: the wizard opens sooner without the command-line library.
        from mailwizard.cli.launch import open_wizard

        sys.exit(open_wizard())
    from mailwizard import i18n
    from mailwizard.cli.language import language_before_parsing

    # Before the commands are defined: click writes the text of --version's help then.
    i18n.set_language(language_before_parsing(None))
    from mailwizard.cli.main import run

    sys.exit(run())
