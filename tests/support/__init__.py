"""Helpers the test modules share, importable by name from any test directory (pyproject.toml puts tests/ on the
path). They live here under names of their own because `conftest` is no module name to import from: under
pytest's default import mode it is whichever directory's conftest.py was imported last."""
