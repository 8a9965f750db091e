"""API router of traffic (mounted in gongyi/api.py at /api/v1/traffic)."""

from ninja import Router

router = Router()
