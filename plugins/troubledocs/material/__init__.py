"""Material for MkDocs speed-ups and fixes: each switchable (`optimize:`) and guarded by fingerprints."""
