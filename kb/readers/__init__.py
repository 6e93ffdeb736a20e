"""Readers of article files, one module per format; :func:`kb.articles.read_article` picks one.

Each reader turns a file's decoded text into a :class:`~kb.readers.found.Found`: the body every
evidence span points into and the metadata written in the file. A fault raises
:class:`~kb.errors.InputError` with a message that says what to fix; the caller adds the path.
"""
