"""Open Contracting Data Standard (OCDS 1.1): reading, validating and compiling releases.

The OCDS 1.1 schema and codelists in ``schema/`` are copied from the standard (see
``schema/LICENSE``), so nothing is fetched at run time.
"""
