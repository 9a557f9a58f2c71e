"""The 通报/简报 bases (tongbao.docx, jianbao.docx) and the preview fonts (fonts.conf), installed with bqw
as the package bqw.templates (pyproject.toml), so that an installed bqw has them: `bqw init` copies the
bases into a new workspace's templates/ for the office to restyle (docs/documents.md).

This file makes the folder a regular package: an editable install (pip install -e) maps bqw.templates to
this folder only when it is one. The .docx files are the built-in bases written by
`python -m bqw.documents.styles templates/`; tests/unit/test_documents.py checks they still are.
"""
