"""Collective, preventive interventions on the model: the contract an
intervention works under, the registration of types, the built-in provisions,
volunteer pools and the team's collective hours."""

from . import provisions  # the built-in types' model classes
from .base import Intervention, Places
from .collective import Collective
from .level import Level
from .registry import register_intervention
from .team import Team
from .volunteers import Pool

__all__ = [
    "Collective",
    "Intervention",
    "Level",
    "Places",
    "Pool",
    "Team",
    "provisions",
    "register_intervention",
]
