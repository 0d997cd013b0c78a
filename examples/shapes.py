"""Shapes and their areas: a small example for Ariadne's demo."""

from __future__ import annotations

import math
from dataclasses import dataclass


class Shape:
    """A closed figure in the plane."""

    def area(self) -> float:
        """Return the area enclosed by the shape."""
        raise NotImplementedError

    def scaled(self, factor: float) -> Shape:
        raise NotImplementedError


@dataclass
class Circle(Shape):
    radius: float

    def area(self) -> float:
        return math.pi * self.radius**2

    def scaled(self, factor: float) -> Circle:
        # Scaling a circle scales its radius; the area grows with the square.
        return Circle(self.radius * factor)


def total_area(shapes: list[Shape]) -> float:
    """Sum the areas of all shapes. An empty list has area zero."""
    return sum(s.area() for s in shapes)
