"""The retention review: the weekly post's button, the controller's modal and its decisions."""
