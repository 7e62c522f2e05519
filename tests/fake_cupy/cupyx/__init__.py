import contextlib

from . import cusolver, scipy  # noqa: F401


@contextlib.contextmanager
def errstate(linalg=None):
    yield
