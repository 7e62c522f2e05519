import scipy.special

from cupy._array import Ufunc

ndtr = Ufunc(scipy.special.ndtr)
