// Pamper site script: small progressive enhancements. Pages work without it.
