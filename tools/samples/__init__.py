"""Source data of the five sample programmes (domain brief §3), one module per programme.

Each module has ``rows() -> dict[str, list[dict]]``: sheet name -> rows keyed by the
workbook headers (see docs/workbook-format.md). ``tools/build_sample_programmes.py`` writes
them to ``sample_programmes/<CODE>.xlsx``.
"""
