"""Delivery straight into the boxes' Maildirs, where Dovecot reads them (the default).

Each message's file name comes from its Message-ID, so delivering it again (after a
flush was killed between writing and recording) finds it there and writes nothing.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import suppress
from email.message import EmailMessage
from pathlib import Path

from mailwizard.domain.addresses import mailbox_home
from mailwizard.services.ports import DeliveryFailed

SUBFOLDERS = ("tmp", "new", "cur")
PRIVATE_FOLDER = 0o700
"""The mail root, each domain's folder and each box: only the mail user lists what is in
them (the household's addresses are the names of the folders)."""


def keep_private(folder: Path) -> None:
    """Takes group and others' rights off ``folder`` if a copy or a restore gave them
    back; a folder this user may not change is left as it is."""
    with suppress(OSError):
        if folder.stat().st_mode & 0o077:
            folder.chmod(PRIVATE_FOLDER)


class MaildirTransport:
    def __init__(self, mail_root: Path, uid: int | None, gid: int | None) -> None:
        self._mail_root = mail_root
        self._uid = uid
        self._gid = gid

    def _own(self, path: Path) -> None:
        """Hands the file to the mail user, when we run as root and one is set."""
        if os.getuid() == 0 and self._uid is not None:
            os.chown(path, self._uid, self._gid if self._gid is not None else -1)

    def _maildir(self, recipient: str) -> Path:
        home = self._mail_root / mailbox_home(recipient)
        maildir = home / "Maildir"
        # The domain's folder too: Dovecot, as the mail user, makes new boxes' homes in it.
        folders = (self._mail_root, home.parent, home, maildir)
        for folder in (*folders, *(maildir / name for name in SUBFOLDERS)):
            if not folder.is_dir():
                folder.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
                folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
                self._own(folder)
        keep_private(self._mail_root)
        keep_private(home.parent)
        return maildir

    def deliver(self, recipient: str, message: EmailMessage) -> None:
        digest = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:24]
        try:
            maildir = self._maildir(recipient)
            if any(maildir.glob(f"new/*.{digest}.*")) or any(maildir.glob(f"cur/*.{digest}.*")):
                return
            name = f"{int(time.time())}.{digest}.mailwizard"
            draft = maildir / "tmp" / name
            draft.write_bytes(message.as_bytes())
            draft.chmod(0o600)
            self._own(draft)
            draft.rename(maildir / "new" / name)
        except OSError as error:
            raise DeliveryFailed(f"{recipient}: {error.strerror}", permanent=False) from None
