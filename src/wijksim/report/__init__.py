"""Presentation: labels in Dutch and English (plots and the report build on them)."""

from . import labels

__all__ = ["labels"]
