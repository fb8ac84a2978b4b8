"""The production settings plus one trivial page: the yardstick bench_pages.py measures pages against."""

from csweek.settings import *  # noqa: F403 (the very settings production runs, plus one URLconf)

ROOT_URLCONF = "bench.bench_urls"
