"""API router of stats (mounted in gongyi/api.py at /api/v1/stats)."""

from ninja import Router

router = Router()
