"""The boxes mailwizard creates are real: a real Postfix takes their mail and their
submissions, a real Dovecot signs them in, both configured by ``server-config`` alone.

The clients are real too: swaks speaks SMTP to port 25 and to the submission port,
curl speaks IMAP (with STARTTLS). Every box of these tests is created while both
servers are already running, and is served at once, without a reload.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from both_engines import on_both_engines  # noqa: F401 - Postfix and Dovecot read either engine
from cli_harness import Cli
from mail_servers import MailServers, Transcript, mail_workspace, running_mail_servers
from martin_household import (
    DOMAIN,
    HOLDER,
    HOLDER_PASSWORD,
    NEW_PASSWORD,
    OWNER_ENV,
    activation_env,
)

pytestmark = pytest.mark.servers

NEIGHBOUR = "paul.durand@famille-durand.fr"
NEIGHBOUR_PASSWORD = "Trois-pommes-vertes-au-marché"
OUTSIDER = "someone@example.org"


@pytest.fixture
def servers(cli: Cli, directory_engine: str) -> Iterator[MailServers]:
    """The Martins, and the Durands next door, in a directory that a real Postfix and a
    real Dovecot serve."""
    with mail_workspace() as workspace:
        configured = cli("config", "set", *workspace.settings(directory_engine))
        assert configured.exit_code == 0, configured.stderr
        assert cli.init().exit_code == 0
        durands = cli.init(
            "famille-durand.fr", NEIGHBOUR, password=NEIGHBOUR_PASSWORD, last_name="Durand"
        )
        assert durands.exit_code == 0, durands.stderr
        with running_mail_servers(cli, workspace) as running:
            yield running


def parsed(text: str) -> EmailMessage:
    message = email.message_from_string(text, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def refused(outcome: Transcript, code: str, reason: str) -> bool:
    return not outcome.ok and any(
        line.startswith(code) and reason in line for line in outcome.replies()
    )


def test_a_box_created_while_the_servers_run_is_served_at_once(
    servers: MailServers, cli: Cli, answers_dir: Path
) -> None:
    """Mail from outside reaches the new box and its alias, read back over IMAP with the
    box's own password; both confirmation e-mails are there too. No reload in between."""
    lea = cli.new_box(answers_dir)
    alias = f"lea@{DOMAIN}"
    added = cli("alias", "add", "--owner", HOLDER, "--box", lea, alias, env=OWNER_ENV)
    assert added.exit_code == 0, added.stderr

    to_box = servers.send(OUTSIDER, lea, "Hello Lea")
    assert to_box.ok, to_box.text + servers.logs()
    to_alias = servers.send(OUTSIDER, alias, "Hello alias")
    assert to_alias.ok, to_alias.text + servers.logs()

    message = parsed(servers.wait_for(lea, NEW_PASSWORD, "Hello Lea"))
    assert message["From"] == OUTSIDER
    assert message["To"] == lea
    assert "The body of Hello Lea." in message.get_content()
    assert parsed(servers.wait_for(lea, NEW_PASSWORD, "Hello alias"))["To"] == alias

    welcome = parsed(servers.wait_for(lea, NEW_PASSWORD, "Welcome to your new mailbox"))
    assert welcome["Subject"] == f"Welcome to your new mailbox {lea}"
    notice = parsed(servers.wait_for(HOLDER, HOLDER_PASSWORD, "You created"))
    assert notice["Subject"] == f"You created {lea} for Léa Martin"
    assert servers.search(HOLDER, HOLDER_PASSWORD, "Hello") == [], "not the holder's mail"


def test_a_box_submits_only_over_tls_with_its_password_and_as_itself(
    servers: MailServers, cli: Cli, answers_dir: Path
) -> None:
    lea = cli.new_box(answers_dir)
    alias = f"lea@{DOMAIN}"
    added = cli("alias", "add", "--owner", HOLDER, "--box", lea, alias, env=OWNER_ENV)
    assert added.exit_code == 0, added.stderr

    plain = servers.submit(lea, NEW_PASSWORD, HOLDER, "Sent with PLAIN")
    assert plain.ok, plain.text + servers.logs()
    login = servers.submit(lea, NEW_PASSWORD, HOLDER, "Sent with LOGIN", mechanism="LOGIN")
    assert login.ok, login.text + servers.logs()
    from_alias = servers.submit(lea, NEW_PASSWORD, HOLDER, "Sent as the alias", sender=alias)
    assert from_alias.ok, from_alias.text + servers.logs()
    sent = (("Sent with PLAIN", lea), ("Sent with LOGIN", lea), ("Sent as the alias", alias))
    for subject, sender in sent:
        assert parsed(servers.wait_for(HOLDER, HOLDER_PASSWORD, subject))["From"] == sender

    wrong = servers.submit(lea, HOLDER_PASSWORD, HOLDER, "Wrong password")
    assert refused(wrong, "535", "authentication failed"), wrong.text
    in_clear = servers.submit(lea, NEW_PASSWORD, HOLDER, "Without TLS", tls=False)
    assert in_clear.status == 28, in_clear.text  # swaks: no AUTH to try
    assert not any(reply.startswith("250-AUTH") for reply in in_clear.replies()), in_clear.text
    anonymous = servers.send(
        lea, HOLDER, "Anonymous submission", port=servers.workspace.submission_port
    )
    assert refused(anonymous, "554", "Client host rejected: Access denied"), anonymous.text
    for impostor in (NEIGHBOUR, HOLDER):
        spoofed = servers.submit(lea, NEW_PASSWORD, HOLDER, "Spoofed", sender=impostor)
        assert refused(spoofed, "553", "Sender address rejected: not owned by user"), spoofed.text
    assert servers.search(HOLDER, HOLDER_PASSWORD, "Wrong password") == []
    assert servers.search(HOLDER, HOLDER_PASSWORD, "Without TLS") == []
    assert servers.search(HOLDER, HOLDER_PASSWORD, "Spoofed") == []
    assert servers.search(HOLDER, HOLDER_PASSWORD, "Anonymous submission") == []

    # A box may write outside (which this test Postfix then throws away).
    outside = servers.submit(lea, NEW_PASSWORD, OUTSIDER, "To the outside")
    assert outside.ok, outside.text + servers.logs()


def test_port_25_refuses_unknown_and_deleted_boxes_relaying_and_forged_senders(
    servers: MailServers, cli: Cli, answers_dir: Path
) -> None:
    """Port 25 refuses an unknown address, a deleted box and its alias, relays nothing
    and takes no household address as sender; a suspended box still receives there, but
    can neither submit nor sign in."""
    lea, hugo = cli.new_box(answers_dir), cli.new_box(answers_dir, first_name="Hugo")
    hugo_alias = f"hugo@{DOMAIN}"
    added = cli("alias", "add", "--owner", HOLDER, "--box", hugo, hugo_alias, env=OWNER_ENV)
    assert added.exit_code == 0, added.stderr
    assert servers.signs_in(hugo, NEW_PASSWORD)
    assert not servers.signs_in(hugo, HOLDER_PASSWORD)
    deleted = cli("accounts", "delete", "--owner", HOLDER, "--confirm", hugo, hugo, env=OWNER_ENV)
    assert deleted.exit_code == 0, deleted.stderr
    suspended = cli("accounts", "suspend", "--owner", HOLDER, lea, env=OWNER_ENV)
    assert suspended.exit_code == 0, suspended.stderr

    for address in (f"nobody@{DOMAIN}", hugo, hugo_alias):
        outcome = servers.send(OUTSIDER, address, "Never delivered")
        assert refused(outcome, "550", "User unknown"), outcome.text
    assert not servers.signs_in(hugo, NEW_PASSWORD)
    relayed = servers.send("stranger@example.net", OUTSIDER, "Relayed")
    assert refused(relayed, "554", "Relay access denied"), relayed.text
    # Nobody signs in on port 25: a household's address there is someone pretending.
    forged = servers.send(HOLDER, lea, "Forged")
    assert refused(forged, "553", "Sender address rejected: not logged in"), forged.text

    while_suspended = servers.send(OUTSIDER, lea, "While suspended")
    assert while_suspended.ok, while_suspended.text + servers.logs()
    servers.wait_in_maildir(lea, "While suspended")
    assert not servers.signs_in(lea, NEW_PASSWORD)
    submitted = servers.submit(lea, NEW_PASSWORD, HOLDER, "From a suspended box")
    assert refused(submitted, "535", "authentication failed"), submitted.text
    resumed = cli("accounts", "resume", "--owner", HOLDER, lea, env=OWNER_ENV)
    assert resumed.exit_code == 0, resumed.stderr
    assert servers.signs_in(lea, NEW_PASSWORD)
    assert parsed(servers.wait_for(lea, NEW_PASSWORD, "While suspended"))["From"] == OUTSIDER
    assert servers.search(HOLDER, HOLDER_PASSWORD, "From a suspended box") == []


def test_a_box_awaiting_activation_takes_mail_but_submits_only_once_activated(
    servers: MailServers, cli: Cli, answers_dir: Path
) -> None:
    """Mail from outside reaches Léa's box before she opened it; neither submission nor
    IMAP let anyone in until she chose her password with the code; then both do."""
    lea, code = cli.box_awaiting_activation(answers_dir)

    early = servers.send(OUTSIDER, lea, "Before activation")
    assert early.ok, early.text + servers.logs()
    for password in (code, NEW_PASSWORD):
        refused_submission = servers.submit(lea, password, HOLDER, "Not yet")
        assert refused(refused_submission, "535", "authentication failed"), refused_submission.text

    opened = cli("activate", lea, env=activation_env(code))
    assert opened.exit_code == 0, opened.stderr
    assert parsed(servers.wait_for(lea, NEW_PASSWORD, "Before activation"))["To"] == lea
    sent = servers.submit(lea, NEW_PASSWORD, HOLDER, "Now I can write")
    assert sent.ok, sent.text + servers.logs()
    assert parsed(servers.wait_for(HOLDER, HOLDER_PASSWORD, "Now I can write"))["From"] == lea
    told = parsed(servers.wait_for(HOLDER, HOLDER_PASSWORD, "activated"))
    assert told["Subject"] == f"Léa Martin activated {lea}"
    assert servers.search(HOLDER, HOLDER_PASSWORD, "Not yet") == []
