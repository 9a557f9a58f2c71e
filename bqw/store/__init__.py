"""The archive (SQLite), the lock, staged outputs."""
