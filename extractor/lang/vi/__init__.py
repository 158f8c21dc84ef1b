"""Vietnamese language pack: data only (TOML files beside this one)."""
