"""Points that only estimate a place. A place known by its department alone (a forecast without commune, a need
given as "01", a company whose commune is unknown) is located at its department's centre, which is good enough to
tell whether a radius may cover it and roughly how close it is — but no distance is claimed from such a point:
the reason says "dans votre zone d'intervention", not "à moins de 1 km" between two department centres."""


class EstimatedPoint(tuple):
    """(latitude, longitude) of a department's centre standing in for an unknown place (``loaders.Geography``)."""

    __slots__ = ()


def is_estimate(point) -> bool:
    return isinstance(point, EstimatedPoint)


def claimed_km(km: float | None, *points) -> float | None:
    """``km``, unless one of the points is only an estimate: then None (the distance is not shown)."""
    return None if km is None or any(is_estimate(point) for point in points) else km
