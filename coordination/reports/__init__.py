"""Periodic reports for the steering committees: figures of a period and scope counted in
SQL, compared with the previous period and the same period a year before; frozen when made."""

from coordination.core.features import Feature

feature = Feature(name="reports")
