"""What bqw writes for people: workbooks, annotated copies, templates, Markdown/terminal reports, JSON."""
