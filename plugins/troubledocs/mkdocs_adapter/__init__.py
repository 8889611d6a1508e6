"""The MkDocs adapter: the `troubledocs` plugin wires MkDocs's events to small functions here."""
