"""``mailwizard client-config`` and the welcome e-mail announce the servers a box really
signs in to: the files are read as mail apps read them, then a real Dovecot signs the box
in over IMAP and a real Postfix takes its submission, at exactly the hosts, ports and
security the files name."""

from __future__ import annotations

import email
import email.policy
import imaplib
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from cli_harness import Cli
from client_files import Announced, profile_servers, read_autoconfig, read_profile
from mail_servers import MailServers, mail_workspace, running_mail_servers
from mailwizard.bootstrap import bootstrap
from mailwizard.config import load_settings
from martin_household import DOMAIN, HOLDER, HOLDER_PASSWORD, NEW_PASSWORD
from test_mail_server import NEIGHBOUR, NEIGHBOUR_PASSWORD

NEIGHBOURS = "famille-durand.fr"


def files_for(cli: Cli, out: Path, domain: str) -> tuple[Announced, dict[str, Any]]:
    written = cli("client-config", "--out", str(out))
    assert written.exit_code == 0, written.stderr
    autoconfig = out / domain / "mail" / "config-v1.1.xml"
    profile = out / domain / "mail.mobileconfig"
    assert {str(autoconfig), str(profile)} <= set(written.stdout.split())
    assert autoconfig.stat().st_mode & 0o777 == profile.stat().st_mode & 0o777 == 0o644
    return read_autoconfig(autoconfig, domain), read_profile(profile)


def test_each_domain_gets_its_files_naming_the_configured_servers(
    cli: Cli, household: str, tmp_path: Path
) -> None:
    durands = cli.init(NEIGHBOURS, NEIGHBOUR, password=NEIGHBOUR_PASSWORD, last_name="Durand")
    assert durands.exit_code == 0, durands.stderr
    configured = cli("config", "set", "imap_host=imap.example.net", "imap_security=ssl",
                     "submission_service=192.0.2.1:2587")  # fmt: skip
    assert configured.exit_code == 0, configured.stderr
    for domain in (DOMAIN, NEIGHBOURS):
        announced, profile = files_for(cli, tmp_path / "web", domain)
        assert announced == Announced("imap.example.net", 993, True, f"mail.{domain}", 2587)
        assert profile_servers(profile) == ("imap.example.net", 993, f"mail.{domain}", 2587)


def test_by_default_imap_is_starttls_on_143_and_submission_587(
    cli: Cli, household: str, tmp_path: Path
) -> None:
    announced, profile = files_for(cli, tmp_path / "web", DOMAIN)
    assert announced == Announced(f"mail.{DOMAIN}", 143, False, f"mail.{DOMAIN}", 587)
    assert profile["IncomingMailServerPortNumber"] == 143


def test_without_a_household_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    assert cli("config", "set", "language=fr").exit_code == 0
    missing = cli("client-config", "--out", str(tmp_path / "web"))
    assert missing.exit_code == 3
    assert "mailwizard init" in missing.stderr
    bootstrap(load_settings(), create_directory=True).close()
    outcome = cli("client-config", "--out", str(tmp_path / "web"))
    assert outcome.exit_code == 1
    assert outcome.stderr.strip() == "L'annuaire n'a pas encore de domaine : lancez init."
    assert not (tmp_path / "web").exists()


def test_an_unknown_submission_service_is_a_usage_error(cli: Cli, household: str) -> None:
    outcome = cli("config", "set", "submission_service=smtps")
    assert outcome.exit_code == 2
    assert "submission, PORT or ADDRESS:PORT" in outcome.stderr


def _tls(servers: MailServers) -> ssl.SSLContext:
    """Trusts the servers' throwaway certificate, made for mail.test, not 127.0.0.1."""
    context = ssl.create_default_context(cafile=servers.workspace.certificate)
    context.check_hostname = False
    return context


def imap_as_announced(
    announced: Announced,
    servers: MailServers,
    address: str,
    password: str,
    timeout: float = 20,
) -> imaplib.IMAP4:
    if announced.imap_tls_at_once:
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            announced.imap_host, announced.imap_port, ssl_context=_tls(servers), timeout=timeout
        )
    else:
        client = imaplib.IMAP4(announced.imap_host, announced.imap_port, timeout=timeout)
        client.starttls(_tls(servers))
    client.login(address, password)
    return client


def submit_as_announced(
    announced: Announced, servers: MailServers, address: str, password: str, subject: str
) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = address, HOLDER, subject
    message.set_content("Sent with the settings the files announce.\n")
    with smtplib.SMTP(announced.smtp_host, announced.smtp_port, timeout=20) as client:
        client.starttls(context=_tls(servers))
        client.login(address, password)
        client.send_message(message)


def welcome_text(client: imaplib.IMAP4) -> str:
    client.select("INBOX")
    _, found = client.search(None, "SUBJECT", '"Welcome to your new mailbox"')
    (number,) = found[0].split()
    _, data = client.fetch(number, "(RFC822)")
    raw = data[0]
    assert isinstance(raw, tuple)
    message = email.message_from_bytes(raw[1], policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


@pytest.mark.servers
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_box_signs_in_and_submits_exactly_as_the_files_announce(
    cli: Cli, answers_dir: Path, tmp_path: Path, security: str
) -> None:
    with mail_workspace() as workspace:
        port = workspace.imap_port if security == "starttls" else workspace.imaps_port
        settings = (*workspace.settings("sqlite"), f"imap_security={security}", f"imap_port={port}")
        assert cli("config", "set", *settings).exit_code == 0
        assert cli.init().exit_code == 0
        with running_mail_servers(cli, workspace) as servers:
            lea = cli.new_box(answers_dir)
            announced, profile = files_for(cli, tmp_path / "web", DOMAIN)
            assert announced.imap_tls_at_once is (security == "ssl")
            assert profile_servers(profile) == (
                announced.imap_host,
                announced.imap_port,
                announced.smtp_host,
                announced.smtp_port,
            )

            client = imap_as_announced(announced, servers, lea, NEW_PASSWORD)
            try:
                welcome = welcome_text(client)
            finally:
                client.logout()
            imap_security = "SSL/TLS" if announced.imap_tls_at_once else "STARTTLS"
            assert (f"{announced.imap_host}, port {announced.imap_port}, {imap_security}"
                    in welcome), welcome  # fmt: skip
            assert f"{announced.smtp_host}, port {announced.smtp_port}, STARTTLS" in welcome
            assert NEW_PASSWORD not in welcome

            with pytest.raises(imaplib.IMAP4.error):
                imap_as_announced(announced, servers, lea, "Not-the-password-of-lea")
            # The other security on the announced port does not work: the files must say
            # the right one.
            other = Announced(announced.imap_host, announced.imap_port,
                              not announced.imap_tls_at_once, announced.smtp_host,
                              announced.smtp_port)  # fmt: skip
            with pytest.raises((ssl.SSLError, imaplib.IMAP4.error, OSError)):
                # A plain client on the TLS port waits for a greeting that never comes.
                imap_as_announced(other, servers, lea, NEW_PASSWORD, timeout=2).logout()

            submit_as_announced(announced, servers, lea, NEW_PASSWORD, "Sent as announced")
            received = servers.wait_for(HOLDER, HOLDER_PASSWORD, "Sent as announced")
            assert f"From: {lea}" in received
