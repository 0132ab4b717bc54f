"""The word lists passphrases are drawn from, in each interface language.

Both come with the ``xkcdpass`` package (BSD licence): English is the EFF's long list,
made for passphrases (CC BY 3.0 US); French is xkcdpass's ``fr-corrected`` list, a public
domain list cleaned of offensive words. Only words of plain letters are kept (see
``domain.passphrases.typable``), less a few coarse French ones that cleaning missed.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Final

from mailwizard.domain.passphrases import typable

LIST_FILES: Final = {"en": "eff-long", "fr": "fr-corrected.txt"}
# A French word beginning so is left out: a passphrase may be read aloud to a relative.
COARSE_FRENCH_PREFIXES: Final = ("abruti", "baise", "branl", "chier", "encul", "foutr",
                                 "nazi", "niqu", "pisse", "salaud", "salop")  # fmt: skip
COARSE_FRENCH_WORDS: Final = frozenset({"cul", "culs"})


def _acceptable(word: str, language: str) -> bool:
    coarse = language == "fr" and (
        word in COARSE_FRENCH_WORDS or word.startswith(COARSE_FRENCH_PREFIXES)
    )
    return typable(word) and not coarse


class PackagedWordLists:
    """xkcdpass's lists, read once per process."""

    @staticmethod
    @cache
    def words(language: str) -> tuple[str, ...]:
        text = files("xkcdpass").joinpath("static", LIST_FILES[language]).read_text("utf-8-sig")
        return tuple(sorted({word for word in text.split() if _acceptable(word, language)}))
