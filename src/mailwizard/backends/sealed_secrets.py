"""Authenticator secrets sealed at rest, with a key the mail servers cannot read.

The mail servers may read the SQLite directory through its group (see
``sqlite_files``); a household's TOTP secret must not be readable there. It is stored
sealed with AES-GCM under a key kept in a file that only mailwizard's user can read
(``totp_key_file``, created 0600 at the first enrolment), the household's number as
associated data so that a sealed secret cannot be moved to another household. Every
terminal of one directory needs the same key file.

A sealed secret fits the column of a plain one: the 20 bytes of a base32 secret, a
12-byte nonce and a 16-byte tag, in base85 after a 3-character mark.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
from pathlib import Path

from mailwizard.errors import DirectoryUnavailable
from mailwizard.i18n import N_, _

MARK = "s1:"
KEY_BYTES = 32
NONCE_BYTES = 12


def is_sealed(stored: str) -> bool:
    return stored.startswith(MARK)


class SecretSeal:
    def __init__(self, key_file: Path) -> None:
        self._key_file = key_file

    def _cannot(self, reason: str) -> DirectoryUnavailable:
        return DirectoryUnavailable(
            N_("The authenticators' key {path} cannot be used: {reason}"),
            path=str(self._key_file),
            reason=reason,
        )

    def _key(self, *, create: bool) -> bytes:
        try:
            if create and not self._key_file.exists():
                self._key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                descriptor = os.open(self._key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n")
            if stat.S_IMODE(self._key_file.stat().st_mode) & 0o077:
                raise self._cannot(_("others than its owner can read it (chmod 600)"))
            key = base64.b64decode(self._key_file.read_bytes().strip(), validate=True)
        except FileNotFoundError:
            raise DirectoryUnavailable(
                N_(
                    "The authenticators' secrets are sealed with the key {path}, which this "
                    "terminal does not have: copy it from the terminal that set them up."
                ),
                path=str(self._key_file),
            ) from None
        except OSError as error:
            raise self._cannot(error.strerror or str(error)) from None
        except binascii.Error:
            raise self._cannot(_("it holds no key")) from None
        if len(key) != KEY_BYTES:
            raise self._cannot(_("it holds no key"))
        return key

    def seal(self, household_id: int, secret: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(self._key(create=True)).encrypt(
            nonce, base64.b32decode(secret), str(household_id).encode()
        )
        return MARK + base64.b85encode(nonce + sealed).decode("ascii")

    def open(self, household_id: int, stored: str) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        blob = base64.b85decode(stored.removeprefix(MARK))
        try:
            secret = AESGCM(self._key(create=False)).decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], str(household_id).encode()
            )
        except InvalidTag:
            raise self._cannot(_("it did not seal this household's secret")) from None
        return base64.b32encode(secret).decode("ascii")
