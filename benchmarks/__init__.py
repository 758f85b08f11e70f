"""Benchmarks of airflow-provider-ips: run by hand (``make bench``), never as tests.

``python -m benchmarks [--quick]`` runs every benchmark here and writes ``report.md`` and
``report.json`` next to this file; see docs/performance.md for what each figure means.
"""
