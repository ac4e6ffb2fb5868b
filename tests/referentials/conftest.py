from tests.referentials.fixtures import small_referentials  # noqa: F401
