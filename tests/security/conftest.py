"""The adversarial tests use the shared fixtures of tests/conftest.py (throwaway stores, test operators, the
PostgreSQL cluster) and the browser fixtures of tests/browser/fixtures.py (servers, guarded chromium pages with
the network blocked: a request that leaves localhost fails the test); nothing of their own."""
