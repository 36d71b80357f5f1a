"""Helpers shared by the pipeline tests (`tests/pipeline/`) and the benchmarks (`benchmarks/`)."""
