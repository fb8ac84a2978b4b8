"""A real SMTP server (aiosmtpd in a thread) that counts the messages it receives by Message-ID."""

import socket
import threading
from collections import Counter
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser().parsebytes(envelope.content)
        with self.sink.lock:
            self.sink.message_ids[headers.get("Message-ID", "")] += 1
            self.sink.headers.append(headers)
        return "250 Message accepted for delivery"


class SmtpSink:
    """Start it, point EMAIL_URL at ``smtp://127.0.0.1:<port>``, read ``message_ids``.

    It can be stopped and started again on the same port, to play a mail server that is down.
    """

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.lock = threading.Lock()
        self.message_ids: Counter[str] = Counter()
        self.headers: list = []
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpSink":
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> int:
        with self.lock:
            return sum(self.message_ids.values())

    @property
    def distinct(self) -> int:
        with self.lock:
            return len(self.message_ids)

    @property
    def duplicates(self) -> int:
        with self.lock:
            return sum(count - 1 for count in self.message_ids.values())

    def __enter__(self) -> "SmtpSink":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
