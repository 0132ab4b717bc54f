"""The lookup tables ``postfix-config`` writes answer what Postfix will ask: run their
queries against the directory as Postfix would, with the address in place of %s."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from both_engines import on_both_engines  # noqa: F401 - Postfix reads either engine
from cli_harness import Cli
from mailwizard.backends.mail_servers import POSTFIX_TABLES
from martin_household import DOMAIN, HOLDER, OWNER_ENV


@pytest.fixture(autouse=True)
def reachable(mail_server_workspace: Path) -> Path:
    """Before the household: on SQLite, its directory is where Postfix's group can read."""
    return mail_server_workspace


def settings_of(path: Path) -> dict[str, str]:
    """A lookup table file, read the way Postfix reads main.cf-style ``name = value``."""
    settings = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(" = ")
            settings[name] = value
    return settings


class LookupTable:
    def __init__(self, path: Path, directory_url: str, directory_engine: str) -> None:
        self.settings = settings_of(path)
        if directory_engine == "sqlite":
            url = f"sqlite:///{self.settings['dbpath']}"
        else:
            host, port = self.settings["hosts"].rsplit(":", 1)
            url = (
                f"postgresql+psycopg://{self.settings['user']}:{self.settings['password']}"
                f"@{host}:{port}/{self.settings['dbname']}"
            )
        self.engine = create_engine(url)

    def __call__(self, key: str) -> list[str]:
        query = self.settings["query"].replace("%s", key.replace("'", "''"))
        with self.engine.connect() as connection:
            return [str(value) for value in connection.execute(text(query)).scalars()]


def test_postfix_accepts_the_live_boxes_and_aliases_and_refuses_deleted_ones(
    household: str,
    cli: Cli,
    answers_dir: Path,
    tmp_path: Path,
    directory_url: str,
    directory_engine: str,
    monkeypatch: pytest.MonkeyPatch,
    reachable: Path,
) -> None:
    if directory_engine == "postgresql":
        password = directory_url.split(":", 2)[2].split("@", 1)[0]
        monkeypatch.setenv("MAILWIZARD_DIRECTORY_PASSWORD", password)
    lea, hugo = cli.new_box(answers_dir), cli.new_box(answers_dir, first_name="Hugo")
    for alias, box in (("lea@famille-martin.fr", lea), ("hugo@famille-martin.fr", hugo)):
        added = cli("alias", "add", "--owner", HOLDER, "--box", box, alias, env=OWNER_ENV)
        assert added.exit_code == 0, added.stderr
    assert cli("accounts", "suspend", "--owner", HOLDER, lea, env=OWNER_ENV).exit_code == 0
    deleted = cli("accounts", "delete", "--owner", HOLDER, "--confirm", hugo, hugo, env=OWNER_ENV)
    assert deleted.exit_code == 0, deleted.stderr

    folder = reachable / "postfix"
    outcome = cli("postfix-config", "--out", str(folder))
    assert outcome.exit_code == 0, outcome.stderr
    kind = "sqlite" if directory_engine == "sqlite" else "pgsql"
    main_cf = (folder / "main.cf.fragment").read_text()
    assert f"virtual_alias_maps = proxy:{kind}:{folder}/virtual_alias_maps.cf" in main_cf
    tables = {
        name: LookupTable(folder / f"{name}.cf", directory_url, directory_engine)
        for name in POSTFIX_TABLES
    }
    assert (folder / "virtual_alias_maps.cf").stat().st_mode & 0o777 == 0o640

    assert tables["virtual_mailbox_domains"](DOMAIN) == [DOMAIN]
    assert tables["virtual_mailbox_domains"]("example.org") == []
    mailbox_maps, alias_maps = tables["virtual_mailbox_maps"], tables["virtual_alias_maps"]
    assert mailbox_maps(HOLDER) == ["famille-martin.fr/jean.martin/"]
    assert mailbox_maps(lea) != [], "a suspended box still receives mail"
    assert mailbox_maps(hugo) == [], "a deleted box receives no more mail"
    assert mailbox_maps("o'hara@famille-martin.fr") == []
    assert alias_maps("lea@famille-martin.fr") == [lea]
    assert alias_maps("hugo@famille-martin.fr") == [], "its aliases went with it"
    assert alias_maps(HOLDER) == []
    senders = tables["smtpd_sender_login_maps"]
    assert senders(lea) == [lea]
    assert senders("lea@famille-martin.fr") == [lea], "a box sends as its aliases too"
    assert senders(hugo) == [], "a deleted box sends nothing"
    for table in tables.values():
        table.engine.dispose()
