"""Stages 4 to 6, audio: clips from an engine (cached), one programme with pauses, loudness, and the MP3.

``synthesize`` drives the engines and checks every clip, ``cache`` keeps clips by content,
``assemble`` joins them, ``loudness`` measures and plans gain, ``encode`` writes the MP3 as it streams
and ``produce`` runs the three as one stream. ``verify`` listens to a finished narration.
"""
