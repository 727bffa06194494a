"""Rule-pack files: loading, validation and the packs shipped with the service."""
