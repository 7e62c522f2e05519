from . import memory, runtime  # noqa: F401


class Device:
    def __init__(self, i=0):
        self.id = i
        self.compute_capability = "90"
