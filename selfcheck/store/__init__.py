"""The encrypted local store: vault file, TinyDB storage and the journal facade (no Textual)."""
