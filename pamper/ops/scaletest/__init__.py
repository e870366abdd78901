"""`make scale-test`: two web nodes, a PostgreSQL primary and replica, Redis, S3 and workers, under load (run.py)."""
