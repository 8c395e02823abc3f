.PHONY: run test bench

# Set up everything and run the service with demo data on http://127.0.0.1:8000
run:
	scripts/run-local.sh

# Lint, checks and the whole test suite on PostgreSQL and Redis
test:
	scripts/test.sh

# Scale data and the benchmark on PostgreSQL (see bench/README.md)
bench:
	scripts/bench.sh
