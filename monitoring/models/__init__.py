"""Numbers: indicators of a program, the points at which they are measured, their targets and
the values schools enter."""

from .indicators import Indicator, IndicatorQuerySet, ProgramScopedQuerySet
from .measurements import Measurement, MeasurementQuerySet, SheetProgress, counted_condition
from .points import MonitoringPoint, MonitoringPointQuerySet
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
    "Target",
    "TargetQuerySet",
    "counted_condition",
]
