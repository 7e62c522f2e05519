from scipy.special import ndtr  # noqa: F401
