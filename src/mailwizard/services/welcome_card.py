"""The welcome card: one printable page, in its reader's language, with everything a
relative needs to read their mail on a phone or in Thunderbird — and never a password."""

from __future__ import annotations

from html import escape
from typing import Final

from mailwizard.domain.mail_clients import SECURITY_NAMES, ClientSettings
from mailwizard.i18n import N_, catalog
from mailwizard.services.activation_codes import IssuedCode
from mailwizard.services.client_files import profile_url
from mailwizard.services.ports import CardReader

TEXTS: Final = {
    "title": N_("Your mailbox {address}"),
    "heading": N_("Your new mailbox"),
    "hello": N_("Hello {first_name}, here is how to read your mail on your phone or computer."),
    "address": N_("Your address"),
    "password": N_(
        "Your password is not on this card: it is the one chosen for your box. "
        "Never write it beside your address."
    ),
    "servers": N_("The servers, if your app asks for them"),
    "incoming": N_("Incoming mail (IMAP)"),
    "outgoing": N_("Outgoing mail (SMTP)"),
    "server": N_("Server"),
    "port": N_("Port"),
    "security": N_("Security"),
    "user_name": N_("User name"),
    "whole_address": N_("your whole address"),
    "authentication": N_("Password"),
    "normal_password": N_("normal password"),
    "phone": N_("On a phone"),
    "iphone": N_(
        "iPhone or iPad: scan the code with the camera and open the link, then install the "
        "profile in Settings (“Profile Downloaded”). It asks for your address and password."
    ),
    "android": N_(
        "Android: in Thunderbird, K-9 Mail or FairEmail, add an account with your address and "
        "password: the app finds the servers by itself. Otherwise, type the servers below."
    ),
    "thunderbird": N_("In Thunderbird, on a computer"),
    "thunderbird_1": N_("Menu ≡, Account Settings, Account Actions, Add Mail Account."),
    "thunderbird_2": N_("Type your name, your address and your password, then Continue."),
    "thunderbird_3": N_("Thunderbird finds the servers by itself: check them, then Done."),
    "qr": N_("Scan to set up an iPhone or iPad"),
    "activation": N_("Your box awaits activation"),
    "activation_steps": N_(
        "Before your first sign-in, choose your own password: at any terminal of the "
        "household, choose “I have an activation code”, type your address and this code."
    ),
    "activation_code": N_("Activation code"),
    "activation_until": N_("Valid until {moment}"),
}
STYLE: Final = """
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: sans-serif; font-size: 11pt; color: #000; margin: 0 auto; max-width: 180mm; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 5mm 0 2mm; }
.address { font-size: 16pt; font-weight: bold; font-family: monospace; }
.top { display: flex; gap: 8mm; align-items: flex-start; justify-content: space-between; }
figure { margin: 0; text-align: center; font-size: 9pt; }
figure svg { display: block; margin: 0 auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #777; padding: 1.5mm 2mm; text-align: left; }
td { font-family: monospace; }
td.host { white-space: nowrap; }
.activation { border: 2px solid #000; padding: 3mm; margin-top: 4mm; }
.code { font-size: 16pt; font-family: monospace; letter-spacing: 1mm; }
ol { margin: 0; padding-left: 6mm; }
p { margin: 1.5mm 0; }
"""


def _qr_svg(url: str, title: str) -> str:
    import segno  # kept off the wizard's start-up path

    return str(segno.make(url, error="m").svg_inline(scale=4, border=2, title=title))


def welcome_card(
    reader: CardReader, servers: ClientSettings, activation: IssuedCode | None = None
) -> str:
    """The card as a self-contained HTML page (the QR code inline, as SVG); for a box
    awaiting activation, with the ``activation`` code its creation issued, and its
    expiry."""
    translations = catalog(reader.language)

    def text(key: str, **values: str) -> str:
        return escape(translations.gettext(TEXTS[key]).format(**values))

    url = profile_url(servers.domain)
    rows = (
        (text("incoming"), servers.imap_host, servers.imap_port,
         SECURITY_NAMES[servers.imap_security]),
        (text("outgoing"), servers.smtp_host, servers.smtp_port, "STARTTLS"),
    )  # fmt: skip
    server_rows = "\n".join(
        f'<tr><th>{label}</th><td class="host">{escape(host)}</td><td>{port}</td>'
        f"<td>{security}</td><td>{text('whole_address')}</td><td>{text('normal_password')}</td></tr>"
        for label, host, port, security in rows
    )
    awaiting = ""
    if activation is not None:
        moment = activation.expires_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
        awaiting = f"""
<section class="activation">
<h2>{text("activation")}</h2>
<p>{text("activation_steps")}</p>
<p>{text("activation_code")}: <span class="code">{escape(activation.code)}</span></p>
<p>{text("activation_until", moment=moment)}</p>
</section>"""
    return f"""<!DOCTYPE html>
<html lang="{escape(reader.language)}">
<head>
<meta charset="utf-8">
<title>{text("title", address=reader.address)}</title>
<style>{STYLE}</style>
</head>
<body>
<div class="top">
<section>
<h1>{text("heading")}</h1>
<p>{text("hello", first_name=reader.first_name)}</p>
<h2>{text("address")}</h2>
<p class="address">{escape(reader.address)}</p>
<p>{text("password")}</p>
</section>
<figure>{_qr_svg(url, translations.gettext(TEXTS["qr"]))}
<figcaption>{text("qr")}<br>{escape(url)}</figcaption></figure>
</div>{awaiting}
<h2>{text("phone")}</h2>
<ol><li>{text("iphone")}</li><li>{text("android")}</li></ol>
<h2>{text("thunderbird")}</h2>
<ol><li>{text("thunderbird_1")}</li><li>{text("thunderbird_2")}</li>
<li>{text("thunderbird_3")}</li></ol>
<h2>{text("servers")}</h2>
<table>
<tr><th></th><th>{text("server")}</th><th>{text("port")}</th><th>{text("security")}</th>
<th>{text("user_name")}</th><th>{text("authentication")}</th></tr>
{server_rows}
</table>
</body>
</html>
"""
