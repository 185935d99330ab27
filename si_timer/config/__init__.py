"""Where things live and how the person set the app up (Qt-free)."""
