"""The model class that runs each registered intervention type.

An intervention type is registered once, by one call, whether built in or a
researcher's own (the built-ins in :mod:`wijksim.scenario.interventions`)::

    class PhoneCircleSpec(wijksim.InterventionSpec):
        type: Literal["telefooncirkel"] = "telefooncirkel"
        share: float = 0.5

    class PhoneCircle(wijksim.Intervention):
        ...

    wijksim.register_intervention(PhoneCircleSpec, PhoneCircle)

after which ``type: telefooncirkel`` is valid in a scenario file, and the model
runs it with a ``PhoneCircle``.
"""

from __future__ import annotations

import importlib

from ...scenario import interventions as specs
from ...scenario.interventions import InterventionSpec
from .base import Intervention


def register_intervention(spec: type[InterventionSpec], model: type[Intervention] | str) -> None:
    """Make ``type: <name>`` usable in scenarios: ``spec`` (an
    :class:`~wijksim.InterventionSpec` subclass whose ``type`` has a default)
    validates its parameters, ``model`` (an :class:`~wijksim.Intervention`
    subclass, or where it is as ``"module:Class"``) runs it. Registering a
    name again replaces the earlier type."""
    if not isinstance(model, str) and not (
        isinstance(model, type) and issubclass(model, Intervention)
    ):
        raise TypeError(f"{model!r} is not a subclass of wijksim.Intervention")
    specs.register(spec, model)


def model_class(spec: InterventionSpec) -> type[Intervention]:
    """The model class registered for ``spec``'s type (imported the first time
    when it was registered by where it is)."""
    models = specs.MODELS  # looked up now: a test may replace it
    kind = models.get(type(spec))
    if kind is None:
        raise TypeError(
            f"intervention type {spec.type!r} ({type(spec).__name__}) has no model: "
            "pair it with one by wijksim.register_intervention(spec, model)"
        )
    found: object = kind
    if isinstance(kind, str):
        module, _, name = kind.partition(":")
        found = getattr(importlib.import_module(module), name, None)
    if not (isinstance(found, type) and issubclass(found, Intervention)):
        raise TypeError(
            f"intervention type {spec.type!r}: {kind!r} is not a subclass of wijksim.Intervention"
        )
    models[type(spec)] = found
    return found
