"""Full-text search across decisions, recommendations, actions and progress updates a person
may see, with the database's own full-text search (docs/search-and-themes.md)."""
