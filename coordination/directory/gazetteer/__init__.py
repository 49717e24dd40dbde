"""The whole map: administrative units of Vietnam, Laos and southern China.

``units``: one unit as a source gives it; ``vietnam``: today's 34 provinces and 3,321
communes from the ``vietnam-provinces`` package, and the pre-2025 provinces and districts
with their successors from ``vietnamadminunits``' conversion table; ``files``: Laos and
China from the data files in ``coordination/directory/data``; ``sync``: writes units to the
directory (adopting existing rows, never duplicating them). The entry point is
``coordination.directory.reference_data.load_reference_data``.
"""
