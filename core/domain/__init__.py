"""The domain layer: the kader model, beslisregels, judging, proofs, beoordelingen.

Imports nothing of kaderwerk outside this package (tests/test_layers.py).
"""
