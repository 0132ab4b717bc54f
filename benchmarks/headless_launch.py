"""Starts mailwizard or the reference headless (``run_test``) and says when it is ready.

    python benchmarks/headless_launch.py mailwizard|reference

Ready: the sign-in screen is up and its address field has the focus.
"""

from __future__ import annotations

import asyncio
import sys

from textual.app import App


def _app(which: str) -> App[None]:
    if which == "reference":
        from reference_app import ReferenceApp

        return ReferenceApp()
    from mailwizard.cli.launch import wizard_for

    return wizard_for({})


async def _wait_until_ready(app: App[None]) -> None:
    async with app.run_test(size=(80, 24)):
        while (
            app.focused is None or app.focused.id != "address" or not app.screen.query("#sign-in")
        ):
            await asyncio.sleep(0.001)
        print("ready", flush=True)


if __name__ == "__main__":
    asyncio.run(_wait_until_ready(_app(sys.argv[1])))
