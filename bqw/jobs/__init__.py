"""The application: validate, merge, the month's routine, inspect, the workspace settings."""
