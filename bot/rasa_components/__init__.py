"""Rasa graph components (the only part of ``bot`` that imports Rasa, besides channels).

Rasa imports this package for the tokenizer and router (config.yml) and the tracker store
(endpoints.yml), so importing it also installs the cached check of the action server's answers.
"""

from bot.rasa_components.remote_action import install

install()
