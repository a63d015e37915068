"""Question answering over news articles, with cited sentences."""
