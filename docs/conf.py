"""Sphinx configuration: pydata theme, numpydoc, autosummary, sphinx-gallery, MyST."""

import re
import sys
from pathlib import Path

import sk_backprop

sys.path.insert(0, str(Path(__file__).parent))  # _gallery, for sphinx_gallery_conf

project = "sk_backprop"
author = "the sk_backprop developers"
copyright = "2026, the sk_backprop developers"
release = version = sk_backprop.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "**.zip"]
myst_heading_anchors = 3

templates_path = ["_templates"]
# "On this page" lists a method as "fit()", not as a dotted path cut off at the width
toc_object_entries_show_parents = "hide"
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_validation_checks = set()  # tests/test_docstrings.py validates the public API

sphinx_gallery_conf = {
    "reset_modules": ("matplotlib", "_gallery.warnings_are_errors"),
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "download_all_examples": False,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
}

html_theme = "pydata_sphinx_theme"
html_title = f"sk_backprop {release}"
html_theme_options = {
    "navbar_end": ["navbar-icon-links"],
    "secondary_sidebar_items": ["page-toc"],
    "show_prev_next": False,
}
html_sidebars = {"**": []}


def _plain_sklearn_refs(app, what, name, obj, options, lines):
    """Docstrings inherited from scikit-learn (``score``, ``set_fit_request``...)
    carry ``:ref:`` and ``:term:`` roles into scikit-learn's own documentation, which
    this build cannot reach (no network, so no intersphinx): keep their text, drop
    the link."""
    if (getattr(obj, "__module__", None) or "").startswith("sklearn"):
        role = re.compile(r":(?:ref|term):`([^`<]+?)(?:\s*<[^>]+>)?`")
        lines[:] = [role.sub(r"\1", line) for line in lines]


def setup(app):
    app.connect("autodoc-process-docstring", _plain_sklearn_refs)
