"""The engines: red flags, triage (patterns + the learned recogniser), language, text, segments,
amounts, places, FAQ matching, hotlines, countries, OCR. No Rasa, HTTP or Redis import here:
content comes in through :mod:`bot.content` caches or as arguments (``tests/test_layout.py``)."""
