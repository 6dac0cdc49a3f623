"""Presentation: labels in Dutch and English, plots, and the HTML and Markdown report."""

from . import labels

__all__ = ["labels"]
