"""The version of bqw, in one place: bqw --version, bqw.__version__."""

VERSION = "0.1.0"
