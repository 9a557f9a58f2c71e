"""The shared base: findings, tables, value parsers, limits, atomic writes. Imports nothing else of bqw."""
