"""Numbers: indicators of a program, the points at which they are measured, their targets, the
values schools enter and how many of them each school has sent."""

from .indicators import Indicator, IndicatorQuerySet, ProgramScopedQuerySet
from .measurements import Measurement, MeasurementQuerySet, SheetProgress, counted_condition
from .points import MonitoringPoint, MonitoringPointQuerySet
from .tallies import SheetTally
from .targets import Target, TargetQuerySet

__all__ = [
    "Indicator",
    "IndicatorQuerySet",
    "Measurement",
    "MeasurementQuerySet",
    "MonitoringPoint",
    "MonitoringPointQuerySet",
    "ProgramScopedQuerySet",
    "SheetProgress",
    "SheetTally",
    "Target",
    "TargetQuerySet",
    "counted_condition",
]
