"""Stage 1, loading: a URL, a file or stdin read into bytes with its kind and charset."""
