from tests.scene import factors, fast_passwords, media_root, scene  # noqa: F401
