from gongyi.stats.tests.conftest import (  # noqa: F401  (fixtures)
    association,
    east,
    health,
    projects,
    recorder,
    team,
    west,
)
