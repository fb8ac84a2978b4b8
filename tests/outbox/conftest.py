import pytest

from tests.outbox.backends import CountingBackend


@pytest.fixture
def counting_backend(settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.CountingBackend"
    CountingBackend.reset()
    yield CountingBackend
    CountingBackend.reset()


@pytest.fixture
def chat_sink(settings):
    """A local webhook receiver; plain http is allowed to 127.0.0.1 only, for this test."""
    from tests.outbox.chat_sink import ChatSink

    settings.CHAT_WEBHOOK_INSECURE_HOSTS = ["127.0.0.1"]
    with ChatSink() as sink:
        yield sink
