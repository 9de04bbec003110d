from tests.scene import factors, scene  # noqa: F401
