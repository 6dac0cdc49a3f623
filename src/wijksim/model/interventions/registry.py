"""The one registration of intervention types: a spec paired with its model class.

The built-in types are registered here by the same call a researcher uses for
their own (see :mod:`.provisions`)::

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

from ...scenario.interventions import REGISTRY, InterventionSpec
from .base import Intervention

#: Model class of every registered spec class.
MODELS: dict[type[InterventionSpec], type[Intervention]] = {}


def register_intervention(spec: type[InterventionSpec], model: type[Intervention]) -> None:
    """Make ``type: <name>`` usable in scenarios: ``spec`` (an
    :class:`~wijksim.InterventionSpec` subclass whose ``type`` has a default)
    validates its parameters, ``model`` (an :class:`~wijksim.Intervention`
    subclass) runs it. Registering a name again replaces the earlier type."""
    if not (isinstance(spec, type) and issubclass(spec, InterventionSpec)):
        raise TypeError(f"{spec!r} is not a subclass of wijksim.InterventionSpec")
    if not (isinstance(model, type) and issubclass(model, Intervention)):
        raise TypeError(f"{model!r} is not a subclass of wijksim.Intervention")
    REGISTRY[spec.type_name()] = spec
    MODELS[spec] = model


def model_class(spec: InterventionSpec) -> type[Intervention]:
    """The model class registered for ``spec``'s type."""
    kind = MODELS.get(type(spec))
    if kind is None:
        raise TypeError(
            f"intervention type {spec.type!r} ({type(spec).__name__}) has no model: "
            "pair it with one by wijksim.register_intervention(spec, model)"
        )
    return kind
