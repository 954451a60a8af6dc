"""Storage: the database engine, the schema (models) and its migrations.

Business code talks to :mod:`crampwise.diary.store`; this package knows SQL and nothing about
what a cramp is.
"""
