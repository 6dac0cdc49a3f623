"""The model on simpy: random streams, demand, the team, statistics."""

from .requests import Request
from .streams import Streams
from .wijkteam import WijkteamModel

__all__ = ["Request", "Streams", "WijkteamModel"]
