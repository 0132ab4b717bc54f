"""The folder where the wizard saves welcome cards, for the person at the screen to open
in a browser and print."""

from __future__ import annotations

from pathlib import Path

from mailwizard.whole_files import replace_whole


class CardFolder:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def save(self, name: str, page: str) -> Path:
        """``page`` as ``name`` in the folder (made 0700: a card names a relative), 0600."""
        path = self._folder / name
        replace_whole(path, page.encode("utf-8"), mode=0o600, folder_mode=0o700)
        return path
