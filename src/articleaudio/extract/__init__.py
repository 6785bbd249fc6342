"""Stage 2, extraction: the article's body and metadata, without the page around it.

``html`` runs the passes over a web page (``prepare``, ``clutter``, ``preformatted``, then trafilatura and
``passes``, then ``furniture``); ``documents`` reads Markdown and plain text. ``metadata``, ``byline``,
``dates`` and ``language`` find what the article says about itself; ``report`` prints the result.
"""

from .html import Extraction, explain_extraction, extract_article

__all__ = ["Extraction", "explain_extraction", "extract_article"]
