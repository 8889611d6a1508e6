from troubledocs.cli import run

run()
