"""Themes of learning across reviews: administrators keep the list, recommendations carry
any number, and each theme has a page of every recommendation with it (docs/search-and-themes.md).
Links between recommendations that repeat or relate live here too."""
