"""Building blocks shared by the scenario models."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]


class Frozen(BaseModel):
    """Immutable, and unknown keys are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")
