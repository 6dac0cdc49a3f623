"""Statistics and theory: analytic queues."""

from . import analytic

__all__ = ["analytic"]
