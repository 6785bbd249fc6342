"""Stage 9: files written beside the MP3 (manifest, captions, chapters, player, feed)."""
