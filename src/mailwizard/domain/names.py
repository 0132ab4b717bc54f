"""What a person's first or last name may hold."""

from __future__ import annotations

import unicodedata
from typing import Final

from mailwizard.errors import Refusal
from mailwizard.i18n import N_

NAME_MAX: Final = 64
APOSTROPHES: Final = frozenset("'’ʼ")
# Characters Unicode calls default-ignorable although they are letters or marks, not
# format characters: Hangul fillers, the combining grapheme joiner, Khmer inherent
# vowels, Mongolian free variation selectors and the variation selectors. They show
# as nothing, so a name made of them would look blank.
INVISIBLE_LETTERS_AND_MARKS: Final = frozenset(
    {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
    | set(range(0x180B, 0x1810))
    | set(range(0xFE00, 0xFE10))
    | set(range(0xE0100, 0xE01F0))
)
HYPHENS: Final = frozenset("-‐")


def normalise_name(text: str) -> str:
    """NFC, with each run of spaces (of any width) made one plain space, ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _codepoint(character: str) -> str:
    return f"U+{ord(character):04X}"


def check_name(text: str) -> Refusal | None:
    """Letters of any script, spaces, apostrophes and hyphens; 1 to 64 characters."""
    for character in text:
        category = unicodedata.category(character)
        if category == "Cc" or category in ("Zl", "Zp"):
            return Refusal(
                "name.control_character",
                N_("Names cannot contain control characters ({codepoint})."),
                {"codepoint": _codepoint(character)},
            )
        if category == "Cf" or ord(character) in INVISIBLE_LETTERS_AND_MARKS:
            return Refusal(
                "name.invisible_character",
                N_("Names cannot contain invisible formatting characters ({codepoint})."),
                {"codepoint": _codepoint(character)},
            )
    name = normalise_name(text)
    if not name:
        return Refusal("name.empty", N_("Enter a name."))
    if len(name) > NAME_MAX:
        return Refusal(
            "name.too_long",
            N_("A name can have at most {maximum} characters."),
            {"maximum": NAME_MAX},
        )
    for character in name:
        category = unicodedata.category(character)
        allowed = (
            category.startswith(("L", "M"))
            or character == " "
            or character in APOSTROPHES
            or character in HYPHENS
        )
        if not allowed:
            return Refusal(
                "name.bad_character",
                N_(
                    "A name can contain only letters, spaces, apostrophes and hyphens "
                    "(not “{character}”)."
                ),
                {"character": character},
            )
    if not any(character.isalpha() for character in name):
        return Refusal("name.no_letter", N_("A name needs at least one letter."))
    return None
