"""coprod-me: an offline M&E workbench for public-service co-production programmes."""

__version__ = "0.1.0"
