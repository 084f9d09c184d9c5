"""Rasa SDK action server: one module per concern; every text comes from the gettext catalogs."""
