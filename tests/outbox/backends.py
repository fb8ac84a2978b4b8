"""Email backends for the outbox unit tests: locmem, plus a count of connections and scripted failures."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class CountingBackend(EmailBackend):
    """The locmem backend, counting how many connections were opened and refusing while told to."""

    opened = 0
    refuse_opens = 0  # how many of the next open() calls fail as if the server were down
    reject_addresses: frozenset[str] = frozenset()  # refused with a permanent 550
    drop_at: frozenset[str] = frozenset()  # the server hangs up when sending to these

    @classmethod
    def reset(cls) -> None:
        cls.opened = 0
        cls.refuse_opens = 0
        cls.reject_addresses = frozenset()
        cls.drop_at = frozenset()

    def open(self):
        cls = type(self)
        if cls.refuse_opens:
            cls.refuse_opens -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        cls.opened += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            refused = {
                addr: (550, b"No such user") for addr in message.to if addr in type(self).reject_addresses
            }
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
            if set(message.to) & type(self).drop_at:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
