"""bqw serve: the web service on a workspace (docs/serve.md). Only bqw.cli.serving imports this package;
starlette, jinja2, uvicorn and argon2 are imported inside it alone, so `bqw --help` stays fast."""
