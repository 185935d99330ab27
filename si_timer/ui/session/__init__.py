"""The session: the player, its controller, the summary and the recording of a run."""
