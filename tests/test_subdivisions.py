"""The country of a state, province or region's name (ISO 3166-2 through pycountry)."""

from __future__ import annotations

import pytest

from cyberveille.extract.subdivisions import country_of_subdivision


@pytest.mark.parametrize(
    ("name", "country"),
    [("Texas", "US"), ("Isère", "FR"), ("Scotland", "GB"), ("Ontario", "CA"), ("New York", "US")],
)
def test_a_subdivision_names_its_country(name: str, country: str) -> None:
    assert country_of_subdivision(name) == country


@pytest.mark.parametrize("name", ["Georgia", "Punjab", "East", "North", "Acme", "Ain"])
def test_a_country_an_ambiguous_or_a_generic_name_names_none(name: str) -> None:
    # a country's own name, one several countries share, words many share, too short
    assert country_of_subdivision(name) is None
