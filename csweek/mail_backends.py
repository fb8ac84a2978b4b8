"""Development email backend: every message goes to the console and to a folder as a .eml file."""

import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class ConsoleAndFolderBackend(BaseEmailBackend):
    """Print each message and keep a copy in MAIL_DIR, so a developer can open it in a mail client."""

    def send_messages(self, email_messages):
        folder = Path(settings.MAIL_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            raw = message.message().as_bytes(linesep="\n")
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            (folder / name).write_bytes(raw)
            sys.stdout.write(raw.decode("utf-8", "replace") + "\n" + "-" * 79 + "\n")
            sys.stdout.flush()
        return len(email_messages)
