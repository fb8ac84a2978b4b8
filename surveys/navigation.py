"""Surveys' entry in the main navigation (collected by csweek.navigation)."""

from csweek.core.navigation import NavEntry

ENTRIES = [NavEntry("Surveys", "surveys:list", group="Plan", order=120)]
