"""The exercises at the end of each derivation page: one module per page, named after it.

`snippets.exercises.<page>` holds the chains that the page's solutions print; each is checked
like the page itself, and `tests/test_exercises.py` checks every one again independently.
"""
