"""Stage 7, publishing: tags, manifest, captions, chapters, player page and feeds, written atomically.

``paths`` names the files, ``freshness`` decides whether a narration is up to date, ``atomic`` stages
every write, ``tags`` and ``cover`` fill the MP3's ID3 frames, and ``manifest``, ``captions``, ``player``
and ``feed`` write what a site and a podcast app read.
"""
