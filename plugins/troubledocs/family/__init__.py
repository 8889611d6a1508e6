"""Multi-repository sites: shards (one repository built on its own) and the link step that assembles them."""
