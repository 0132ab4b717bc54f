"""“Suggest a passphrase”: random words from the interface language's list, at least 64
bits of entropy, accepted by the real password policy and shown as strong by the meter,
in the wizard and by ``mailwizard passphrase``."""

from __future__ import annotations

import math

import pytest

from cli_harness import Cli
from mailwizard.bootstrap import Services, passphrases
from mailwizard.config import Settings
from mailwizard.domain.models import Identity
from mailwizard.domain.passwords import STRENGTH_MAX, PasswordPolicy, assess_password
from mailwizard.services.provisioning import password_assessment
from mailwizard.services.signin import SignedIn
from mailwizard.tui.widgets.strength_meter import STRENGTH_WORDS
from mailwizard.word_lists import PackagedWordLists

DRAWS = 50
SEPARATORS = {PasswordPolicy.MODERN: " ", PasswordPolicy.ORANGE: "-"}


def words_of(text: str, policy: PasswordPolicy) -> list[str]:
    words = text.split(SEPARATORS[policy])
    if policy is PasswordPolicy.ORANGE:
        assert words[-1].isdigit() and len(words[-1]) == 1, text
        words = [words[0].lower(), *words[1:-1]]
    return words


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_list_is_large_enough_for_64_bits_in_five_words_or_more(language: str) -> None:
    size = len(PackagedWordLists.words(language))
    drawn = passphrases(Settings()).suggest(language)
    count = len(words_of(drawn.text, PasswordPolicy.MODERN))
    assert size >= 7000
    assert count >= 5
    assert drawn.bits == pytest.approx(count * math.log2(size))
    assert drawn.bits >= 64
    # One word fewer would not do: the count is the least that reaches 64 bits.
    assert count == 5 or (count - 1) * math.log2(size) < 64


@pytest.mark.parametrize("policy", list(PasswordPolicy))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_draw_is_accepted_by_the_policy_and_strong_on_the_meter(
    language: str, policy: PasswordPolicy
) -> None:
    service = passphrases(Settings(password_policy=policy))
    words = set(PackagedWordLists.words(language))
    seen = set()
    for _ in range(DRAWS):
        drawn = service.suggest(language)
        assessment = assess_password(drawn.text, policy)
        assert assessment.acceptable, (drawn.text, assessment.refusals)
        assert STRENGTH_WORDS[assessment.strength] == "strong", drawn.text
        assert set(words_of(drawn.text, policy)) <= words
        assert drawn.text.isascii(), drawn.text
        seen.add(drawn.text)
    assert len(seen) == DRAWS


def test_a_box_s_passphrase_never_holds_its_names_nor_the_holder_s(
    services: Services, holder: SignedIn
) -> None:
    # Short names hide in many words ("ana" in "banana", "eva" in "evade", "nitram" …).
    identity = Identity(civility="x", first_name="Ana", last_name="Eva")
    address = "ana.eva@famille-martin.fr"
    for _ in range(DRAWS):
        drawn = services.provisioning.suggest_passphrase("en", identity, address, holder)
        assessment = password_assessment(
            PasswordPolicy.MODERN, drawn.text, identity, address, holder
        )
        assert assessment.acceptable, (drawn.text, assessment.refusals)
        assert assessment.strength == STRENGTH_MAX
        assert drawn.bits >= 64
    left_out = {word for word in PackagedWordLists.words("en") if "ana" in word or "eva" in word}
    assert left_out, "the test's names hide in no word of the list"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_command_prints_a_new_passphrase_each_time(cli: Cli, language: str) -> None:
    first = cli("passphrase", "--lang", language)
    second = cli("passphrase", "--lang", language)
    assert first.exit_code == second.exit_code == 0, first.stderr
    assert first.stdout != second.stdout
    words = first.stdout.strip().split(" ")
    assert len(words) >= 5
    assert set(words) <= set(PackagedWordLists.words(language))
    assert int(first.stderr.split()[0]) >= 64
