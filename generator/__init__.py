"""Curriculum generator: YAML content to a searchable website and printable handbooks."""
