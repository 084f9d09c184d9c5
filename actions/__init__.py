"""Rasa SDK action server: one module per concern; every text comes from the gettext catalogs.

Importing the package loads the engines' content and the distress recogniser, so the action
server's first cry for help does not wait a second for a model to load.
"""

from bot.warmup import warm_up_engines

warm_up_engines()
