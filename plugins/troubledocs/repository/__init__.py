"""One repository: its pages and fragments, navigation, topic ids, links, reuse, translations."""
