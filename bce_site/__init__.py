"""The site's MkDocs plugin (`plugin.ProofsPlugin`, registered as `bce-proofs` in pyproject.toml)."""
