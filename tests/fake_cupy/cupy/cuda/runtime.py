def getDeviceCount():
    return 1


def getDeviceProperties(i):
    return {"name": b"NumPy stand-in", "multiProcessorCount": 3}


def memGetInfo():
    return (2**33, 2**34)


def runtimeGetVersion():
    return 13000


def driverGetVersion():
    return 13000
