"""Exporters: turn stored incident views into exchange formats (STIX 2.1 in ``stix``)."""
