"""Collective, preventive interventions on the model: the protocol, the
built-in provisions, volunteer pools and the team's collective hours."""

from .base import Intervention, Level, Places
from .collective import Collective
from .volunteers import Pool

__all__ = ["Collective", "Intervention", "Level", "Places", "Pool"]
