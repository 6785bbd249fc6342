"""Stage 3, speech: the article as the sentences a narrator says.

``normalize`` turns written forms into words (with ``rules``, ``spoken_forms``, ``numbers``, ``acronyms``,
``words`` and the ``lexicon``); ``sentences`` finds where sentences end; ``script`` puts the narration
together with its introduction and closing line; ``check`` reviews it before synthesis.
"""
