"""specreg: pre-screening of applications to the registry of specialists
providing special social services (Rules approved by order No. 21 of the
Minister of Labour and Social Protection of the Population of the Republic of
Kazakhstan, 23 January 2025)."""
