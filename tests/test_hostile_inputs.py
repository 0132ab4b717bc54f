"""Whatever the command line is given — an answers file that is a device, a FIFO, huge
or nested without end, a settings file or value of the same kind, a malformed URL, any
list of arguments — it answers with one of its documented exit codes (0, 1, 2, 3) and at
once: never 70 (a bug), never a hang, never memory without bound."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_harness import Cli, write_answers
from mailwizard.bounded_files import INPUT_MAX_BYTES
from martin_household import CREATE_ENV, DOMAIN, HOLDER, HOLDER_PASSWORD

DOCUMENTED_EXIT_CODES = {0, 1, 2, 3}
DEEP = 5000
"""Deeper than Python's recursion limit: tomllib's reader gives up with RecursionError."""


def deeply_nested_toml(key: str = "first_name") -> str:
    return f"{key} = " + "[" * DEEP + "]" * DEEP + "\n"


def run_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``mailwizard`` in a process of its own, with 1 GiB of address space and 60 s: a
    read without bound fails there instead of filling the machine's memory."""

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        [sys.executable, "-m", "mailwizard", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
        preexec_fn=limited,
    )


# --- The answers file ---


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_answers_file_that_is_a_device_is_refused_at_once(
    isolated_environment: dict[str, str], device: str
) -> None:
    started = time.monotonic()
    completed = run_process("create", "--answers", device, env=CREATE_ENV)
    assert completed.returncode == 2, completed.stderr
    assert "not a regular file" in completed.stderr
    assert time.monotonic() - started < 30


def test_an_answers_file_that_is_a_fifo_is_refused_without_waiting_for_a_writer(
    isolated_environment: dict[str, str], tmp_path: Path
) -> None:
    fifo = tmp_path / "answers.toml"
    os.mkfifo(fifo)
    completed = run_process("create", "--answers", str(fifo), env=CREATE_ENV)
    assert completed.returncode == 2, completed.stderr
    assert "not a regular file" in completed.stderr


def test_an_answers_file_over_64_kib_is_refused_and_one_just_under_is_read(
    household: str, cli: Cli, answers_dir: Path
) -> None:
    answers = write_answers(answers_dir / "lea.toml")
    content = answers.read_bytes()
    padding = b"#" * (INPUT_MAX_BYTES - len(content) - 1) + b"\n"
    answers.write_bytes(content + padding)
    assert answers.stat().st_size == INPUT_MAX_BYTES
    larger = answers_dir / "larger.toml"
    larger.write_bytes(content + padding + b"\n")

    refused = cli("create", "--answers", str(larger), env=CREATE_ENV)
    assert refused.exit_code == 2, refused.stderr
    assert "larger than 64 KiB" in refused.stderr
    created = cli("create", "--answers", str(answers), env=CREATE_ENV)
    assert created.exit_code == 0, created.stderr
    assert created.stdout.strip() == f"lea.martin@{DOMAIN}"


def test_deeply_nested_answers_are_a_usage_error(cli: Cli, answers_dir: Path) -> None:
    path = answers_dir / "deep.toml"
    path.write_text(deeply_nested_toml(), encoding="utf-8")
    outcome = cli("create", "--answers", str(path), env=CREATE_ENV)
    assert outcome.exit_code == 2, outcome.stderr
    assert "nested too deeply" in outcome.stderr


@pytest.mark.parametrize("consent", ['"yes"', "1", '"on"', '"true"', "[true]", "{}"])
def test_only_the_toml_boolean_true_accepts_the_terms(
    household: str, cli: Cli, answers_dir: Path, directory_url: str, consent: str
) -> None:
    path = write_answers(answers_dir / "lea.toml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("accept_terms = true", f"accept_terms = {consent}"), "utf-8")
    outcome = cli("create", "--answers", str(path), env=CREATE_ENV)
    assert outcome.exit_code == 2, outcome.stdout
    assert "accept_terms" in outcome.stderr
    assert cli("accounts", "list", "--owner", HOLDER, "--json").stdout.count('"address"') == 1


# --- The settings file, ``config set``, the directory URL ---


def test_a_settings_file_nested_too_deeply_or_too_large_is_a_usage_error(
    cli: Cli, isolated_environment: dict[str, str]
) -> None:
    """The wizard (``--lang en``) refuses it before any screen opens: the first frame's
    quick reader hands over to the full one."""
    config = Path(isolated_environment["MAILWIZARD_CONFIG"])
    for content, reason in (
        (deeply_nested_toml("language"), "nested too deeply"),
        ('language = "fr"\n' + "#" * INPUT_MAX_BYTES + "\n", "larger than 64 KiB"),
    ):
        config.write_text(content, encoding="utf-8")
        for command in (("outbox", "list"), ("config", "show"), ("config", "set", "language=fr"),
                        ("--lang", "en")):  # fmt: skip
            outcome = cli(*command)
            assert outcome.exit_code == 2, (command, outcome.stderr)
            assert reason in outcome.stderr


def test_a_settings_file_that_is_a_fifo_does_not_block(
    isolated_environment: dict[str, str], tmp_path: Path
) -> None:
    fifo = tmp_path / "config-fifo.toml"
    os.mkfifo(fifo)
    completed = run_process("config", "set", "language=fr", env={"MAILWIZARD_CONFIG": str(fifo)})
    assert completed.returncode == 2, completed.stderr
    assert "not a regular file" in completed.stderr


@pytest.mark.parametrize(
    "assignment",
    [
        "trusted_networks=" + "[" * DEEP + "]" * DEEP,
        "trusted_networks=" + "{a=" * DEEP + "1" + "}" * DEEP,
        'trusted_networks=["not a network"]',
        "trusted_networks=" + "x" * 70_000,
        "data_dir=/srv/" + "x" * 70_000,
    ],
    ids=["nested-lists", "nested-tables", "not-a-network", "long-text", "long-path"],
)
def test_config_set_refuses_values_nested_too_deeply_invalid_or_too_large(
    cli: Cli, isolated_environment: dict[str, str], assignment: str
) -> None:
    outcome = cli("config", "set", assignment)
    assert outcome.exit_code == 2, outcome.stderr
    assert not Path(isolated_environment["MAILWIZARD_CONFIG"]).exists()


def test_arguments_and_variables_that_are_not_utf8_are_a_usage_error(
    household: str, cli: Cli
) -> None:
    for arguments, environment in [
        (("audit", "--owner", "\udcff@x"), {}),
        (("accounts", "suspend", "--owner", f"jean\udcff@{DOMAIN}", "x"), {}),
        (("accounts", "suspend", "--owner", HOLDER, "x"), {"MAILWIZARD_OWNER_PASSWORD": "\udcff"}),
    ]:
        outcome = cli(*arguments, env=environment)
        assert outcome.exit_code == 2, (arguments, outcome.stderr)
        assert "not UTF-8" in outcome.stderr


def test_a_malformed_directory_url_is_a_usage_error(cli: Cli) -> None:
    for url in ("postgresql://u:p@[::1:5432/db", "postgresql://u@[::1:5432/db", "http://[x"):
        outcome = cli("--directory", url, "accounts", "list", "--owner", HOLDER)
        assert outcome.exit_code == 2, (url, outcome.stderr)


# --- Anything at all: property-based ---

ANSWER_KEYS = [
    "owner", "civility", "first_name", "last_name", "address", "accept_terms", "language",
]  # fmt: skip
NO_NUL_TEXT = st.text(
    st.characters(blacklist_characters="\x00", blacklist_categories=()), max_size=40
)
"""A process's arguments cannot hold a NUL; anything else can (lone surrogates stand for
bytes that are not UTF-8)."""

TOML_SCALARS = st.one_of(
    NO_NUL_TEXT,
    st.sampled_from([HOLDER, "mme", "m", "x", "Léa", "Martin", "suggest", "fr", "en", "lea"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False),
    st.datetimes(),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)
    ),
    max_leaves=4,
)


@st.composite
def answers_documents(draw: st.DrawFn) -> str:
    keys = draw(st.lists(st.one_of(st.sampled_from(ANSWER_KEYS), NO_NUL_TEXT), max_size=6))
    document = {key: draw(TOML_VALUES) for key in keys}
    if draw(st.booleans()):
        document = {
            "owner": HOLDER,
            "civility": "x",
            "first_name": "Léa",
            "last_name": "Martin",
            "address": "suggest",
            "accept_terms": True,
        } | document
    text = tomli_w.dumps(document)
    if draw(st.integers(0, 9)) == 0:
        text += deeply_nested_toml(draw(st.sampled_from(ANSWER_KEYS)))
    return text


ARGUMENT = "ARGUMENT"
GRAMMAR: dict[tuple[str, ...], tuple[str, ...]] = {
    ("init",): ("--domain", "--address", "--civility", "--first-name", "--last-name"),
    ("create",): ("--answers",),
    ("accounts", "list"): ("--owner", "--json"),
    ("accounts", "delete"): ("--owner", "--confirm", ARGUMENT),
    ("accounts", "passwd"): ("--owner", ARGUMENT),
    ("accounts", "suspend"): ("--owner", ARGUMENT),
    ("accounts", "resume"): ("--owner", ARGUMENT),
    ("alias", "add"): ("--owner", "--box", ARGUMENT),
    ("alias", "remove"): ("--owner", ARGUMENT),
    ("alias", "list"): ("--owner", "--json"),
    ("audit",): ("--owner", "--json", "--limit"),
    ("purge",): (),
    ("suggest",): ("--owner", "--first-name", "--last-name"),
    ("contract", "suspend"): ("--owner",),
    ("contract", "resume"): ("--owner",),
    ("outbox", "list"): ("--json",),
    ("outbox", "flush"): (),
    ("config", "set"): (ARGUMENT, ARGUMENT),
    ("config", "show"): (),
    ("totp", "enrol"): ("--owner",),
    ("totp", "disable"): ("--owner",),
    ("dovecot-config",): ("--out",),
    ("postfix-config",): ("--out",),
    ("server-config",): ("--out",),
    ("secrets", "set"): (ARGUMENT,),
}
"""Every command but ``serve`` (a web server that runs until stopped) with its options."""
FLAGS = {"--json"}
URLS = [
    "postgresql://u:p@[::1:5432/db", "postgresql://u@[::1/db", "postgresql://u@127.0.0.1:1/db",
    "postgresql://u@127.0.0.1:99999/db", "postgresql://u@127.0.0.1:x/db", "sqlite://",
    "sqlite:///:memory:", "sqlite:///", "mysql://u@127.0.0.1/db", "://", "[", "%", "",
]  # fmt: skip
SETTING_NAMES = ["language", "trusted_networks", "max_secondary", "data_dir", "directory", "x"]
ADDRESSES = [HOLDER, f"lea.martin@{DOMAIN}", f"hugo.martin@{DOMAIN}", "lea.martin", "x@y.z"]
NOT_UTF8 = ["\udcff", f"l\udce9a.martin@{DOMAIN}"]
"""What Python makes of bytes that are not UTF-8 in an argument (``$'\\xff'``)."""
WORDS = [
    *ADDRESSES,
    *NOT_UTF8,
    DOMAIN,
    "Léa",
    "Martin",
    "mme",
    "m",
    "fr",
    "0",
    "1",
    "smtp-password",
]
JUNK = st.one_of(
    NO_NUL_TEXT.filter(lambda text: not text.startswith(("sqlite", "/", "."))),
    st.sampled_from(["--help", "-h", "--", "-", "--kiosk", "--json", "--owner", "--version"]),
    st.sampled_from([word for command in GRAMMAR for word in command]),
)


@st.composite
def argument_lists(draw: st.DrawFn, places: dict[str, str]) -> list[str]:
    """A command with its options, their values drawn from plausible ones and from any
    text; then, now and then, a word added, dropped or swapped."""
    path_names = st.sampled_from(sorted(places)).map(places.__getitem__)
    value = st.one_of(st.sampled_from(WORDS), NO_NUL_TEXT)
    arguments: list[str] = []
    if draw(st.booleans()):
        arguments += ["--lang", draw(st.sampled_from(["fr", "en", "de", ""]))]
    if draw(st.integers(0, 3)) == 0:
        arguments += ["--directory", draw(st.sampled_from([*URLS, places["sqlite url"]]))]
    command = draw(st.sampled_from(sorted(GRAMMAR)))
    arguments += command
    for option in GRAMMAR[command]:
        if not draw(st.integers(0, 5)):
            continue  # a missing option
        if option in ("--answers", "--out"):
            arguments += [option, draw(path_names)]
        elif option in FLAGS:
            arguments.append(option)
        elif option == "--limit":
            arguments += [option, str(draw(st.integers(-(2**70), 2**70)))]
        elif option == ARGUMENT and command == ("config", "set"):
            setting = draw(st.sampled_from(SETTING_NAMES))
            text = draw(st.one_of(NO_NUL_TEXT, st.just("[" * DEEP), st.just("[[[1]]]")))
            arguments.append(f"{setting}={text}")
        elif option == ARGUMENT:
            arguments.append(draw(value))
        else:
            arguments += [option, draw(value)]
    for _ in range(draw(st.integers(0, 2))):
        position = draw(st.integers(0, len(arguments)))
        change = draw(st.sampled_from(["add", "drop", "swap"]))
        if change == "add":
            arguments.insert(position, draw(JUNK))
        elif arguments and position < len(arguments):
            if change == "drop":
                del arguments[position]
            else:
                arguments[position] = draw(JUNK)
    # Whatever the changes, a path goes only to the test's own places.
    for index, argument in enumerate(arguments[:-1]):
        if argument in ("--answers", "--out"):
            arguments[index + 1] = draw(path_names)
        elif argument == "--directory":
            arguments[index + 1] = draw(st.sampled_from([*URLS, places["sqlite url"]]))
    return arguments


@pytest.fixture
def places(tmp_path: Path, answers_dir: Path, directory_path: Path) -> dict[str, str]:
    """The files and folders the fuzzed arguments may name."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "out"
    folder.mkdir()
    deep = answers_dir / "deep.toml"
    deep.write_text(deeply_nested_toml(), encoding="utf-8")
    answers = write_answers(answers_dir / "ok.toml")
    return {
        "answers": str(answers),
        "deep": str(deep),
        "fifo": str(fifo),
        "folder": str(folder),
        "missing": str(tmp_path / "missing.toml"),
        "null": "/dev/null",
        "zero": "/dev/zero",
        "sqlite url": f"sqlite:///{directory_path}",
    }


class ExitCodes:
    def __init__(self) -> None:
        self.seen: Counter[int] = Counter()
        self.examples = 0

    def check(self, exit_code: int, what: object, stderr: str) -> None:
        self.examples += 1
        self.seen[exit_code] += 1
        assert exit_code in DOCUMENTED_EXIT_CODES, (what, stderr)


@pytest.fixture
def exit_codes() -> Iterator[ExitCodes]:
    codes = ExitCodes()
    yield codes
    print(f"\n{codes.examples} examples, exit codes seen: {dict(sorted(codes.seen.items()))}")


@pytest.fixture
def no_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    """``mailwizard`` without a command would open the wizard: its settings are read
    as for real, then it ends at once."""

    class Closed:
        def run(self) -> None:
            return None

    import mailwizard.tui.app

    monkeypatch.setattr(mailwizard.tui.app, "command_line_app", lambda *_: Closed())


FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def fuzz_examples(weight: int) -> int:
    """``weight`` times the profile's count: a few hundred tries in a suite run, a few
    thousand with ``MAILWIZARD_HYPOTHESIS=thorough``."""
    profile = settings.default
    assert profile is not None, "the test suite loads a profile before collecting"
    return weight * profile.max_examples


@settings(FUZZ, max_examples=fuzz_examples(4))
@given(content=st.binary(max_size=3000))
def test_any_bytes_as_the_answers_file(
    household: str, cli: Cli, answers_dir: Path, exit_codes: ExitCodes, content: bytes
) -> None:
    path = answers_dir / "random.toml"
    path.write_bytes(content)
    outcome = cli("create", "--answers", str(path))
    exit_codes.check(outcome.exit_code, content, outcome.stderr)


@settings(FUZZ, max_examples=fuzz_examples(3))
@given(document=answers_documents())
def test_any_toml_as_the_answers_file(
    household: str, cli: Cli, answers_dir: Path, exit_codes: ExitCodes, document: str
) -> None:
    path = answers_dir / "random.toml"
    path.write_text(document, encoding="utf-8", errors="surrogatepass")
    environment = CREATE_ENV if "Léa" in document else {}
    outcome = cli("create", "--answers", str(path), env=environment)
    exit_codes.check(outcome.exit_code, document, outcome.stderr)


@settings(FUZZ, max_examples=fuzz_examples(5))
@given(data=st.data())
def test_any_arguments(
    household: str,
    cli: Cli,
    places: dict[str, str],
    isolated_environment: dict[str, str],
    exit_codes: ExitCodes,
    no_wizard: None,
    data: st.DataObject,
) -> None:
    arguments = data.draw(argument_lists(places))
    config = Path(isolated_environment["MAILWIZARD_CONFIG"])
    try:
        outcome = cli(*arguments, env={"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD})
    finally:
        config.unlink(missing_ok=True)  # what ``config set`` wrote: the next example starts afresh
    exit_codes.check(outcome.exit_code, arguments, outcome.stderr)
