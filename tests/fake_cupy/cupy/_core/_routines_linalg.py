COMPUTE_TYPE_DEFAULT, COMPUTE_TYPE_TF32 = 1, 7
_types = {}


def set_compute_type(dtype, compute_type):
    _types["f"] = compute_type


def get_compute_type(dtype):
    return _types.get("f", COMPUTE_TYPE_DEFAULT)
