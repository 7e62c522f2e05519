def check_availability(name):
    return True
