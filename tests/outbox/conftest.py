import pytest

from tests.outbox.backends import CountingBackend


@pytest.fixture
def counting_backend(settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.CountingBackend"
    CountingBackend.reset()
    yield CountingBackend
    CountingBackend.reset()
