"""The exercise figures, free of Qt: a jointed 2D body, its named poses, the props and
the YAML that describes them. :mod:`si_timer.ui.figure` paints what this computes."""
