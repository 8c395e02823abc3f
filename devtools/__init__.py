"""Tools for developers, above every app: demo data (seed_demo), scale data
(seed_scale) and the benchmark. Each app keeps its own seed module (demo.py);
this app only brings them together."""
