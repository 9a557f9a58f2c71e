"""The wild corpus: generated real-looking ledgers composed from independent traits, with their
truth, and the property that bqw reads each one exactly (tests/wild/README.md)."""
