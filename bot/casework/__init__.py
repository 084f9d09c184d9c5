"""Casework: cases in Redis, what caseworkers write in the operators' chat, the notifier."""
