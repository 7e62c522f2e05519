"""xpmath's built-in backends, one module each (installed as the package ``xpmath_backends``)."""
