"""Safe-jobs assistant: engines (red flags, triage, language), content, channels and CLI.

Engines (``bot.engines``) import no Rasa, HTTP or Redis module so they load and test fast; Rasa
graph components live in ``bot.rasa_components`` and channels in ``bot.channels``. README's
"Architecture" section maps every package.
"""

from bot.languages import CODES

#: The ten languages the assistant speaks, as ISO 639-1 codes (``zh`` for Chinese); the one
#: table of what each needs is :mod:`bot.languages`.
LANGUAGES: tuple[str, ...] = CODES
DEFAULT_LANGUAGE = "en"
