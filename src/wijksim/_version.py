"""The installed version of wijksim, from the package metadata."""

from importlib.metadata import PackageNotFoundError, version


def installed_version() -> str:
    try:
        return version("wijksim")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"
