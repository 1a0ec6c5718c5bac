"""Input types every feature reads with: text, dates, view state, private metadata."""
