"""The Home tab each staff member sees."""
