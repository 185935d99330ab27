"""The desktop around a session: sounds, speech, keeping the screen awake, one instance."""
