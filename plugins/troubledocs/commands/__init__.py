"""One module per ``troubledocs`` subcommand; each exposes ``add_parser`` and ``run``."""
