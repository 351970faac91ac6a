"""The resource bank (методическая копилка): submission, expert review, catalogue, search, demand.

`access` says who reviews what; the other modules are one use case each.
"""
