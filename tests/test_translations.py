"""The French catalog covers every message in the source, and the shipped .mo matches it.

The messages are extracted again from the source, the way ``pybabel extract`` does it
(same mapping file, same keywords), so a string added or changed without updating the
catalogs fails here. The catalog of click's own messages is checked against the click
installed, so that an upgrade that changes one of them fails here too. See
docs/translations.md for the commands that fix a failure.
"""

from __future__ import annotations

import io
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from mailwizard import i18n
from mailwizard.domain.audit import shown_origin

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mailwizard"
MAPPING_FILE = ROOT / "babel.cfg"
FRENCH_PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "mailwizard.po"
FRENCH_MO = FRENCH_PO.with_suffix(".mo")
CLICK_PO = FRENCH_PO.with_name("click.po")
CLICK_MO = CLICK_PO.with_suffix(".mo")
# The names click's modules give the standard library's functions.
CLICK_KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "ngettext": (1, 2)}
# The keywords given to ``pybabel extract`` (with --no-default-keywords).
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}
FRENCH_PLURAL_FORMS = "nplurals=2; plural=(n > 1);"

MessageId = str | tuple[str, ...]


@dataclass
class SourceMessage:
    """A message as the source marks it, with where it is marked."""

    id: MessageId
    locations: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return _key(self.id)


def extract_source_messages(directory: Path = PACKAGE) -> dict[str, SourceMessage]:
    """Every message marked in the package's source, keyed by its (singular) msgid."""
    with MAPPING_FILE.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(  # type: ignore[no-untyped-call]
            mapping, str(MAPPING_FILE)
        )
    messages: dict[str, SourceMessage] = {}
    for filename, lineno, text, _comments, _context in extract_from_dir(
        directory, method_map, options_map, keywords=KEYWORDS
    ):
        message_id: MessageId = text if isinstance(text, str) else tuple(text)
        where = f"{directory.relative_to(ROOT).as_posix()}/{filename}:{lineno}"
        message = messages.setdefault(_key(message_id), SourceMessage(message_id))
        if message.id != message_id:
            raise AssertionError(f"{where}: {message_id!r} conflicts with {message.id!r}")
        message.locations.append(where)
    return messages


def _key(message_id: MessageId) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _full_id(message: Message) -> MessageId:
    return message.id if isinstance(message.id, str) else tuple(message.id or ())


def _translations(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, (list, tuple)):
        return tuple(message.string)
    return (message.string or "",)


def _entries(catalog: Catalog) -> list[Message]:
    """The catalog's messages without its header."""
    return [message for message in catalog if message.id]


def untranslated(sources: Mapping[str, SourceMessage], catalog: Catalog) -> list[str]:
    """The source messages the catalog lacks, leaves empty, marks fuzzy or has stale."""
    problems: list[str] = []
    for key, source in sorted(sources.items()):
        where = ", ".join(source.locations)
        message = catalog.get(key)
        if message is None:
            problems.append(f"{where}: {key!r} is not in the catalog")
        elif message.fuzzy:
            problems.append(f"{where}: {key!r} is marked fuzzy")
        elif _full_id(message) != source.id:
            problems.append(f"{where}: {source.id!r} is in the catalog as {_full_id(message)!r}")
        elif not all(_translations(message)):
            problems.append(f"{where}: {key!r} has no translation")
        elif not isinstance(source.id, str) and len(_translations(message)) != catalog.num_plurals:
            problems.append(f"{where}: {key!r} needs {catalog.num_plurals} plural forms")
    return problems


def compiled_differences(po: Catalog, mo: Catalog) -> list[str]:
    """How the compiled catalog differs from what compiling the .po would give now."""
    expected = {
        _key(_full_id(message)): (_full_id(message), _translations(message))
        for message in _entries(po)
        if not message.fuzzy and all(_translations(message))
    }
    compiled = {
        _key(_full_id(message)): (_full_id(message), _translations(message))
        for message in _entries(mo)
    }
    problems: list[str] = []
    if po.plural_forms != mo.plural_forms:
        problems.append(f"Plural-Forms: {mo.plural_forms!r} instead of {po.plural_forms!r}")
    for key in sorted(expected.keys() | compiled.keys()):
        if key not in compiled:
            problems.append(f"{key!r} is missing from the .mo")
        elif key not in expected:
            problems.append(f"{key!r} is in the .mo but untranslated or fuzzy in the .po")
        elif compiled[key][0] != expected[key][0]:
            problems.append(f"the .mo has {compiled[key][0]!r}, the .po {expected[key][0]!r}")
        elif compiled[key][1] != expected[key][1]:
            problems.append(
                f"{key!r}: the .mo has {compiled[key][1]!r}, the .po {expected[key][1]!r}"
            )
    return problems


def placeholders(text: str) -> set[str]:
    """The ``str.format`` replacement fields of ``text``, format spec included."""
    fields: set[str] = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            conversion_part = f"!{conversion}" if conversion else ""
            spec_part = f":{spec}" if spec else ""
            fields.add(f"{{{name}{conversion_part}{spec_part}}}")
    return fields


def placeholder_mismatches(
    messages: Iterable[Message], *, each_form_holds_all: bool = True
) -> list[str]:
    """Translations whose replacement fields differ from their source's.

    Every translation is formatted with the source's parameters, so a field it lacks
    is lost, and one it adds (or a stray brace) raises at run time. Each plural form
    must hold the fields of all the source's forms: French uses its singular form for 0.
    click's forms name the same value differently ({choice}, {choices}), which one
    French form cannot say twice: for its catalog (``each_form_holds_all=False``) a form
    holds the fields of its own English form, and no field click does not pass.
    """
    problems: list[str] = []
    for message in messages:
        source_texts = [message.id] if isinstance(message.id, str) else list(message.id)
        try:
            expected = set().union(*(placeholders(text) for text in source_texts))
        except ValueError as error:
            problems.append(f"{message.id!r}: the source is not a valid format string ({error})")
            continue
        for form, translation in enumerate(_translations(message)):
            if not translation:
                continue
            try:
                found = placeholders(translation)
            except ValueError as error:
                problems.append(f"{translation!r}: not a valid format string ({error})")
                continue
            own = placeholders(source_texts[min(form, len(source_texts) - 1)])
            if found != expected if each_form_holds_all else not own <= found <= expected:
                problems.append(
                    f"{translation!r} has {sorted(found)}, its source {sorted(expected)}"
                )
    return problems


def _report(problems: list[str]) -> str:
    return "\n".join(problems)


@pytest.fixture(scope="module")
def source_messages() -> dict[str, SourceMessage]:
    return extract_source_messages()


@pytest.fixture(scope="module")
def french_po() -> Catalog:
    with FRENCH_PO.open("rb") as po:
        return read_po(po, locale="fr", domain="mailwizard")


@pytest.fixture(scope="module")
def french_mo() -> Catalog:
    with FRENCH_MO.open("rb") as mo:
        return read_mo(mo)


@pytest.fixture(scope="module")
def click_po() -> Catalog:
    with CLICK_PO.open("rb") as po:
        return read_po(po, locale="fr", domain="click")


def click_message_ids() -> set[MessageId]:
    """Every message the installed click marks for translation."""
    found = extract_from_dir(Path(click.__file__).parent, keywords=CLICK_KEYWORDS)
    return {text if isinstance(text, str) else tuple(text) for _, _, text, _, _ in found}


# The shipped catalogs.


def test_the_source_marks_messages(source_messages: dict[str, SourceMessage]) -> None:
    # Guards the checks below against an extraction that silently finds nothing.
    assert len(source_messages) > 20
    assert "The two passwords are different." in source_messages


def test_every_message_has_a_french_translation(
    source_messages: dict[str, SourceMessage], french_po: Catalog
) -> None:
    problems = untranslated(source_messages, french_po)
    assert not problems, "Untranslated messages in the French catalog:\n" + _report(problems)


def test_the_french_catalog_has_french_plural_forms(french_po: Catalog) -> None:
    assert french_po.plural_forms == FRENCH_PLURAL_FORMS


def test_the_compiled_catalog_matches_the_po(french_po: Catalog, french_mo: Catalog) -> None:
    problems = compiled_differences(french_po, french_mo)
    assert not problems, "Recompile the French catalog:\n" + _report(problems)


def test_french_translations_keep_the_placeholders(french_po: Catalog) -> None:
    problems = placeholder_mismatches(_entries(french_po))
    assert not problems, "Placeholders changed in translation:\n" + _report(problems)


def test_every_click_message_translated_is_still_click_s(click_po: Catalog) -> None:
    in_click = click_message_ids()
    gone = [_full_id(message) for message in _entries(click_po)]
    gone = [message_id for message_id in gone if message_id not in in_click]
    assert not gone, f"Not in click {version('click')} any more: {gone}"


def test_the_click_catalog_is_complete_compiled_and_keeps_its_placeholders(
    click_po: Catalog,
) -> None:
    listed = {
        _key(_full_id(message)): SourceMessage(_full_id(message), [CLICK_PO.name])
        for message in _entries(click_po)
    }
    with CLICK_MO.open("rb") as mo:
        compiled = read_mo(mo)
    problems = [
        *untranslated(listed, click_po),
        *compiled_differences(click_po, compiled),
        *placeholder_mismatches(_entries(click_po), each_form_holds_all=False),
    ]
    assert click_po.plural_forms == FRENCH_PLURAL_FORMS
    assert len(listed) > 20
    assert not problems, _report(problems)


# The checks themselves, on small catalogs with known faults.


def _catalog(*messages: Message) -> Catalog:
    catalog = Catalog(locale="fr", domain="mailwizard")
    for message in messages:
        catalog[message.id] = message
    return catalog


def _compiled(catalog: Catalog) -> Catalog:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return read_mo(buffer)


def test_untranslated_finds_missing_empty_fuzzy_and_stale_messages() -> None:
    sources = {
        source.key: source
        for source in (
            SourceMessage("Done.", ["a.py:1"]),
            SourceMessage("Missing.", ["a.py:2"]),
            SourceMessage("Empty.", ["a.py:3"]),
            SourceMessage("Unsure.", ["a.py:4"]),
            SourceMessage(("{n} box", "{n} boxes"), ["a.py:5"]),
            SourceMessage(("{n} file", "{n} files"), ["a.py:6"]),
        )
    }
    catalog = _catalog(
        Message("Done.", "Fait."),
        Message("Empty.", ""),
        Message("Unsure.", "Incertain.", flags=["fuzzy"]),
        Message(("{n} box", "{n} old boxes"), ("{n} boîte", "{n} boîtes")),
        Message(("{n} file", "{n} files"), ("{n} fichier", "")),
    )
    problems = untranslated(sources, catalog)
    assert len(problems) == 5, _report(problems)
    assert not any("Done." in problem for problem in problems)
    assert any(problem.startswith("a.py:2: 'Missing.' is not") for problem in problems)


def test_compiled_differences_finds_a_stale_mo() -> None:
    po = _catalog(Message("Yes.", "Oui."), Message("No.", "Non."))
    mo = _compiled(po)
    assert compiled_differences(po, mo) == []
    po["No."].string = "Non, merci."
    po["Later."] = Message("Later.", "Plus tard.")
    problems = compiled_differences(po, mo)
    assert len(problems) == 2, _report(problems)
    assert compiled_differences(_catalog(Message("Yes.", "Oui.")), mo) == [
        "'No.' is in the .mo but untranslated or fuzzy in the .po"
    ]


def test_placeholder_mismatches_finds_changed_fields() -> None:
    messages = [
        Message("{path}: {reason}", "{path} : {reason}"),
        Message("{path}: {reason}", "{chemin} : {reason}"),
        Message("{path}: {reason}", "{path}"),
        Message("(U+{code:04X})", "(U+{code})"),
        Message("Cancelled.", "Annulé {"),
        Message(("{n} box", "{n} boxes"), ("une boîte", "{n} boîtes")),
    ]
    problems = placeholder_mismatches(messages)
    assert len(problems) == 5, _report(problems)
    click_forms = [
        Message(
            ("{value} is {choice}", "{value} in {choices}"), ("{value} : {choice}", "{choices}")
        ),
        Message(
            ("{value} is {choice}", "{value} in {choices}"), ("{value} {nom}", "{value} {choices}")
        ),
    ]
    problems = placeholder_mismatches(click_forms, each_form_holds_all=False)
    assert [problem.split(" has ")[0] for problem in problems] == ["'{choices}'", "'{value} {nom}'"]
    assert placeholders("U+{code:04X} {a!r} {b}") == {"{code:04X}", "{a!r}", "{b}"}


@pytest.mark.parametrize(
    ("count", "french"),
    [
        (0, "0 adresse secondaire restante sur 9"),
        (1, "1 adresse secondaire restante sur 9"),
        (2, "2 adresses secondaires restantes sur 9"),
    ],
)
def test_a_count_chooses_the_form_by_the_language_s_own_rule(count: int, french: str) -> None:
    singular = plural = "{left} of {maximum} secondary addresses left"
    i18n.set_language("fr")
    assert i18n.ngettext(singular, plural, count).format(left=count, maximum=9) == french
    i18n.set_language("en")
    assert i18n.ngettext(singular, plural, count).format(left=count, maximum=9) == (
        f"{count} of 9 secondary addresses left"
    )


@pytest.mark.parametrize(
    ("stored", "french"),
    [
        ("command line, console", "ligne de commande, console"),
        ("terminal, kiosk", "terminal, borne"),
        ("command line, ssh 192.0.2.7", "ligne de commande, ssh 192.0.2.7"),
        ("terminal, web 127.0.0.1", "terminal, web 127.0.0.1"),
        ("test", "test"),
    ],
)
def test_the_activity_says_where_from_in_the_reader_s_language(stored: str, french: str) -> None:
    i18n.set_language("fr")
    assert shown_origin(stored) == french
    i18n.set_language("en")
    assert shown_origin(stored) == stored
