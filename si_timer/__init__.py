"""si-timer: a follow-along timer for sacroiliac joint and low-back exercise routines."""

__version__ = "0.1.0"
APP_NAME = "si-timer"
APP_DISPLAY_NAME = "SI Timer"
