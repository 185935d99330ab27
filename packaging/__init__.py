"""Desktop integration files, installed by ``si-timer desktop install``."""
