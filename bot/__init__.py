"""Safe-jobs assistant: engines (red flags, triage, language), content, channels and CLI.

Engines in this package import no Rasa module so they load and test fast; Rasa graph components
live in ``bot.rasa_components`` and channels in ``bot.channels``.
"""

#: The ten languages the assistant speaks, as ISO 639-1 codes (``zh`` for Chinese).
LANGUAGES: tuple[str, ...] = ("en", "th", "my", "km", "lo", "vi", "id", "tl", "zh", "ne")
DEFAULT_LANGUAGE = "en"
