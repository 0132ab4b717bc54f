"""A deleted box's mail, packed into a compressed tar file beside the boxes until its
purge. The archive folder starts with a dot: no mail domain can have that name.

Each archiving writes a new file named after its time, so mail delivered after a
first archiving (a late notice) is kept too; a half-written file is never left under
a final name.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from datetime import datetime
from pathlib import Path

from mailwizard.clock import Clock, utc_now
from mailwizard.delivery.maildir import PRIVATE_FOLDER, keep_private
from mailwizard.domain.addresses import mailbox_home
from mailwizard.errors import MailStoreUnavailable
from mailwizard.i18n import N_

ARCHIVE_FOLDER = ".archive"


class MaildirArchive:
    def __init__(self, mail_root: Path, clock: Clock = utc_now) -> None:
        self._mail_root = mail_root
        self._clock = clock

    def _home(self, address: str) -> Path:
        return self._mail_root / mailbox_home(address)

    def archives(self, address: str) -> Path:
        return self._mail_root / ARCHIVE_FOLDER / address

    def archive(self, address: str) -> bool:
        try:
            return self._archive(address)
        except OSError as error:
            raise MailStoreUnavailable(
                N_("Cannot archive the mail of {address}: {reason}"),
                address=address,
                reason=error.strerror,
            ) from None

    def _archive(self, address: str) -> bool:
        home = self._home(address)
        if not home.is_dir():
            return False
        folder = self.archives(address)
        for private in (self._mail_root, folder.parent, folder):
            private.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
            keep_private(private)
        stamp = datetime.strftime(self._clock(), "%Y%m%dT%H%M%S%fZ")
        final = folder / f"{stamp}.tar.gz"
        draft = folder / f".{stamp}.tar.gz.part"
        descriptor = os.open(draft, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            with tarfile.open(fileobj=stream, mode="w:gz") as tar:
                tar.add(home, arcname=address)
            stream.flush()
            os.fsync(stream.fileno())
        draft.rename(final)
        shutil.rmtree(home)
        return True

    def remove(self, address: str) -> None:
        shutil.rmtree(self.archives(address), ignore_errors=True)
        shutil.rmtree(self._home(address), ignore_errors=True)
