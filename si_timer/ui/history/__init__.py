"""The history views: calendar, charts, day details, and moving history in and out."""
