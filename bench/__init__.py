"""Benchmarks of Monev Jamsostek: speed, memory and payload, as ratios against a baseline measured in the same run.

Run ``python -m bench`` (all parts) or ``python -m bench --part core`` (one part); see ``python -m bench --help``.
"""
