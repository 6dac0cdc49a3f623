"""Building blocks shared by the scenario models.

Numbers in a scenario are finite (``.inf`` and ``.nan`` make no sense as a rate,
a share or a weight), never a boolean (``fte: true`` is not 1 FTE), and counts
are whole: ``residents: 12.000`` is twelve residents in YAML, so a count written
the way Dutch writes thousands is refused with a hint instead of read silently.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class DottedNumber(float):
    """A number written like Dutch thousands (``12.000``), with its text.

    The YAML loader keeps the text so that a count can say what went wrong.
    """

    text: str

    def __new__(cls, value: float, text: str) -> DottedNumber:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __reduce__(self):
        return float, (float(self),)

    def __deepcopy__(self, memo: dict) -> DottedNumber:
        return self  # immutable; a copy keeps its text (pickling gives a float)


#: ``12.000`` or ``1.500``: one to three digits, a dot and exactly three digits.
DUTCH_THOUSANDS = re.compile(r"^[+]?\d{1,3}\.\d{3}$")


def finite_number(value: object) -> object:
    """A finite number (not a boolean); text such as ``"12"`` is left to pydantic."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, not {str(value).lower()}")
    if isinstance(value, int) and not math.isfinite(_float_or_inf(value)):
        raise ValueError("number too large")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, not {value}")
    return value


def _float_or_inf(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf


def whole_number(value: object) -> object:
    """A whole number: refuses fractions, and hints at Dutch thousands notation."""
    value = finite_number(value)
    if isinstance(value, DottedNumber):
        raise ValueError(
            f"{value.text} is {float(value):g} in YAML, not {value.text.replace('.', '')}; "
            f"write {value.text.replace('.', '')} (or {value.text.replace('.', '_')}) "
            "for thousands"
        )
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"expected a whole number, not {value:g}")
    return value


Number = Annotated[float, BeforeValidator(finite_number), Field(allow_inf_nan=False)]
Share = Annotated[Number, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[Number, Field(ge=0.0)]
Positive = Annotated[Number, Field(gt=0.0)]
#: The most euro a price or cost may be: far beyond any wijk's budget, and small
#: enough that a run's costs (price times units, summed over years and
#: replications) stay finite; at 1e308 they overflow to infinity.
MOST_EURO = 1e12
#: Euro: a price, a cost or a value, at least 0 and at most :data:`MOST_EURO`.
Euro = Annotated[NonNegative, Field(le=MOST_EURO)]
#: A whole number of things (residents, cases, volunteers), at least 0.
Count = Annotated[int, BeforeValidator(whole_number), Field(ge=0)]
#: A whole number of at least 1, 2 or 3 (one bound: ``Annotated[Count, Field(ge=1)]``
#: would say "at least 0" of -1, the first of its two bounds).
Count1 = Annotated[int, BeforeValidator(whole_number), Field(ge=1)]
Count2 = Annotated[int, BeforeValidator(whole_number), Field(ge=2)]
Count3 = Annotated[int, BeforeValidator(whole_number), Field(ge=3)]
#: true or false, as YAML writes them (not 1, "yes" or "on": a number is a slip)
Flag = Annotated[bool, Field(strict=True)]


class Frozen(BaseModel):
    """Immutable, and unknown keys are an error."""

    # defer_build: validators are built on first use, not on import (issue 20:
    # a worker given a scenario, or ``import wijksim; wijksim.simulate``, needs none)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
