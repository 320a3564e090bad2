"""Hai Phong environmental geoportal: project package and cross-cutting core."""
