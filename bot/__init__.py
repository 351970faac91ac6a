"""Composition root of the association bot: settings, application, i18n, rendering."""
