"""A conflict-timeline knowledge base: articles -> annotations -> RDF -> SHACL -> store.

The package is a plain library (it never imports Flask); :mod:`kb.cli` is its command line.
"""
