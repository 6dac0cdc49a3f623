"""What provisions share and what interrupts them: volunteer pools, a change
of provider (a tender) and the team's collective hours taken back (a squeeze)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import Count, Euro, Flag, Frozen, NonNegative, Share
from .calendar import Moment
from .units import Duration


class Burnout(Frozen):
    """Volunteers who carry too much for long leave sooner.

    The extra turnover builds up over ``sustained`` weeks in a row with the
    pool's occupancy above the threshold, and falls back the same way.
    """

    occupancy_above: Share = Field(default=0.9, description="share of capacity in use")
    extra_turnover_per_year: NonNegative = Field(description="extra share leaving per year")
    sustained: Duration = Field(
        default=0.0, description="weeks overloaded in a row before the full extra turnover"
    )
    substitute_weight: Annotated[float, Field(ge=1.0)] = Field(
        default=1.0,
        description="weight in the load of a participant who stands in for professional "
        "work (a regular or heavier request)",
    )
    recruitment_follows_size: Flag = Field(
        default=False,
        description="recruits come by word of mouth: a drained pool recruits in proportion",
    )


class VolunteerPool(Frozen):
    """Trained volunteers, shareable between interventions."""

    size: Count = Field(description="active volunteers at the start")
    start: Moment | None = Field(
        default=None,
        description="when the pool is coordinated (default: the first funding start of its users)",
    )
    recruitment_per_year: NonNegative = Field(default=0.0, description="new volunteers per year")
    turnover_per_year: NonNegative = Field(default=0.15, description="share leaving per year")
    burnout: Burnout | None = None
    drift_after_stop_per_year: NonNegative = Field(
        default=0.5, description="share leaving per year once coordination has stopped"
    )
    expenses_per_volunteer_per_year: Euro = Field(
        default=0.0, description="euro per active volunteer per year"
    )


class Tender(Frozen):
    """A change of provider: the provisions pause for a transition, their
    volunteer pools lose a share, and coordination restarts."""

    at: Moment = Field(description="when the new provider takes over (a date, with start_date)")
    transition: Duration = Field(default=0.0, description="pause before the provisions restart")
    volunteers_lost: Share = Field(default=0.0, description="share of each pool that leaves")
    interventions: tuple[str, ...] = Field(
        default=(), description="provisions re-tendered (none: all)"
    )


class Squeeze(Frozen):
    """When the waiting list passes a threshold, collective hours go back to casework."""

    waiting_list_above: NonNegative = Field(description="people waiting: hours go to casework")
    release_below: NonNegative = Field(description="people waiting: hours come back")
