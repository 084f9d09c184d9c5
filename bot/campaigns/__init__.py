"""Awareness campaigns: subscriptions and staff campaigns, and the broadcaster."""
