"""The project's local web chat page, talking to Rasa's REST channel."""
