"""Qt messages a headless test machine prints that say nothing about our code.

QtMultimedia probes for VA-API, PipeWire and PulseAudio when it first loads;
on a machine without them it logs these warnings and carries on silently.
"""

BACKEND_PROBE_WARNINGS = (
    r"^Couldn't (load|resolve) (pipewire-0\.3|va|va-x11|va-drm|va\(in plugin\)) (library|symbols)$",
    r"^PulseAudioService: pa_context_connect\(\) failed$",
)
