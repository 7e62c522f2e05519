"""The numba backend's probability: normal densities, Bayes' rule, counts within bounds."""

from __future__ import annotations

import numpy

from xpmath._reference import stats as ref_stats

from ._runtime import Bindings, _Serial, _f64, _kernels, _real


class ProbabilityBindings(Bindings):
    """Elementwise kernels over broadcast inputs, and one pass counting values within bounds."""

    def _elementwise(self, kernel, dtype, *arrays):
        shape = numpy.broadcast_shapes(*(x.shape for x in arrays))
        flat = [numpy.ascontiguousarray(numpy.broadcast_to(_f64(x), shape)).reshape(-1) for x in arrays]
        out = numpy.empty(flat[0].size)
        with _Serial():
            kernel(*flat, out)
        return out.reshape(shape).astype(dtype, copy=False)

    def normal_pdf(self, x, mean=0.0, std=1.0):
        x = ref_stats.as_float(numpy, x)
        return self._elementwise(_kernels().normal_pdf, x.dtype, x, numpy.asarray(mean), numpy.asarray(std))

    def normal_cdf(self, x, mean=0.0, std=1.0):
        x = ref_stats.as_float(numpy, x)
        return self._elementwise(_kernels().normal_cdf, x.dtype, x, numpy.asarray(mean), numpy.asarray(std))

    def total_probability(self, p_b_given_a, p_a, p_b_given_not_a):
        dt = numpy.result_type(p_b_given_a, p_a, p_b_given_not_a)
        return self._elementwise(_kernels().total_probability, dt, p_b_given_a, p_a, p_b_given_not_a)

    def bayes(self, p_b_given_a, p_a, p_b):
        dt = numpy.result_type(p_b_given_a, p_a, p_b)
        return self._elementwise(_kernels().bayes, dt, p_b_given_a, p_a, p_b)

    def count_within(self, x, bounds):
        b = numpy.array([[float(lo), float(hi)] for lo, hi in bounds], dtype=numpy.float64)
        with _Serial():
            return numpy.asarray(_kernels().count_within(numpy.ravel(x), b[:, 0].copy(), b[:, 1].copy()))


#: op -> whether the kernels take the call
RULES = {"count_within": lambda self, a, *args, **kw: _real(a)}
